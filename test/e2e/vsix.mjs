// Package the extension (`npm run package`), check the .vsix (size, contents), install it into a
// fresh code-server with --install-extension, and trace an example from the installed copy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installVsix, launchBrowser, prepareRunDir, root, startCodeServer, waitForWorkbench } from './harness.mjs';
import { drawnAt, openFile, pickExample, traceButton, waitForGraph } from './browser.mjs';

const MAX_BYTES = 20 * 1024 * 1024;

export async function runVsixTest({ workspace, out }) {
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
  const vsix = path.join(root, 'gradlens.vsix');
  const size = fs.statSync(vsix).size;
  const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
  fs.writeFileSync(path.join(out, 'vsix-contents.txt'), listing.join('\n') + '\n');
  const mb = (size / 1024 / 1024).toFixed(1);
  const needed = ['extension/dist/extension.js', 'extension/dist/worker.js', 'extension/dist/webview/main.js',
    'extension/node_modules/pyodide/pyodide.asm.wasm', 'extension/node_modules/pyodide/python_stdlib.zip',
    'extension/node_modules/pyodide/pyodide-lock.json'];
  const missing = needed.filter((f) => !listing.includes(f));
  if (!listing.some((f) => /^extension\/dist\/gradlens-pyodide-.*\.snapshot$/.test(f))) missing.push('extension/dist/gradlens-pyodide-*.snapshot');
  // The native matmul addon, built where esbuild.js can build it (x86-64 Linux with a C compiler).
  const addon = `extension/dist/native/gradlens-native-${process.platform}-${process.arch}.node`;
  if (process.platform === 'linux' && process.arch === 'x64' && !listing.includes(addon)) missing.push(addon);
  // The only bytecode shipped is the build's, for Pyodide's Python (see src/runtime/prepare-runtime.ts).
  const buildBytecode = (f) => /^extension\/dist\/python\/(.+\/)?__pycache__\/[^/]+\.cpython-3\d+\.pyc$/.test(f);
  const unwanted = listing.filter((f) => /^extension\/(src|test|webview|examples|bench|scripts)\/|\.map$|\.ts$|^extension\/dist\/cli\.js$|^extension\/dist\/prepare-runtime\.js$/.test(f)
    || (f.includes('__pycache__') && !buildBytecode(f)));
  console.log(`  gradlens.vsix: ${mb} MB, ${listing.length} files`);
  if (missing.length) console.log(`  ✗ missing: ${missing.join(', ')}`);
  if (unwanted.length) console.log(`  ✗ should not ship: ${unwanted.slice(0, 10).join(', ')}`);
  if (size > MAX_BYTES) console.log(`  ✗ larger than 20 MB`);

  const runDir = prepareRunDir(path.join(out, 'run-vsix'));
  const t0 = Date.now();
  await installVsix(runDir, vsix);
  console.log(`  installed with --install-extension in ${Date.now() - t0} ms`);
  const server = await startCodeServer({ runDir });
  const browser = await launchBrowser();
  let traced = false;
  let clickToGraphMs = null;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url(workspace));
    await waitForWorkbench(page);
    await openFile(page, pickExample(workspace));
    await traceButton(page).waitFor({ state: 'visible', timeout: 30_000 });
    // A user reads the file before clicking: the worker warms up meanwhile.
    await page.waitForTimeout(10_000);
    const t = Date.now();
    await traceButton(page).click();
    clickToGraphMs = await drawnAt(await waitForGraph(page)) - t;
    traced = true;
    console.log(`  ✓ the installed .vsix traced ${pickExample(workspace)} (click 10 s after opening → graph ${clickToGraphMs} ms)`);
    await page.screenshot({ path: path.join(out, 'vsix-graph.png') });
  } catch (e) {
    console.log(`  ✗ the installed .vsix did not trace: ${e}`);
  } finally {
    await browser.close();
    await server.stop();
  }
  fs.writeFileSync(path.join(out, 'vsix-result.json'), JSON.stringify({ bytes: size, files: listing.length, missing, unwanted, traced, clickToGraphMs }, null, 2));
  return traced && !missing.length && !unwanted.length && size <= MAX_BYTES;
}
