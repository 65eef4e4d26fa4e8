// `npm run test:e2e`: build, then in a real VS Code (code-server 4.100.3 = VS Code 1.100.3):
//   1. extension-host tests (mocha inside the host via extensionTestsPath),
//   2. the browser tests (playwright-core + Debian Chromium): click → graph, hover, go to source,
//      reload; Restricted Mode asks before running,
//   3. package the .vsix, install it with --install-extension, trace from it (skip: --no-vsix).
// --host / --browser / --vsix-only run one part; --no-build skips `node esbuild.js`.
// Results and screenshots land in test-output/e2e/. Exit status 1 if anything failed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import {
  codeServerBin, launchBrowser, prepareRunDir, root, startCodeServer, waitForFile,
} from '../test/e2e/harness.mjs';
import { runBrowserTest } from '../test/e2e/browser.mjs';
import { runVsixTest } from '../test/e2e/vsix.mjs';
import { runTrustTest } from '../test/e2e/trust.mjs';

const args = new Set(process.argv.slice(2));
const only = (name) => !['--host', '--browser', '--vsix-only'].some((a) => args.has(a)) || args.has(name);
const withVsix = args.has('--vsix-only') || (!args.has('--no-vsix') && !args.has('--host') && !args.has('--browser'));
const out = path.join(root, 'test-output', 'e2e');
fs.mkdirSync(out, { recursive: true });

function step(title) {
  console.log(`\n── ${title}`);
}

async function build() {
  if (!fs.existsSync(codeServerBin)) {
    step('installing code-server into .vscode-test/ (once)');
    execFileSync('bash', [path.join(root, 'scripts', 'install-code-server.sh'), path.join(root, '.vscode-test', 'code-server')], { stdio: 'inherit' });
  }
  if (!args.has('--no-build')) {
    step('build');
    execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
  }
  await esbuild.build({
    entryPoints: [path.join(root, 'test', 'e2e', 'host', 'index.ts')], outfile: path.join(root, 'out', 'e2e', 'host.js'),
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
}

/** The folder the tests open: our fixtures plus the examples a user would open first. */
function prepareWorkspace() {
  const ws = path.join(out, 'workspace');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'examples'), ws, { recursive: true });
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), ws, { recursive: true });
  return ws;
}

async function hostTests(workspace) {
  step('extension-host tests (mocha inside VS Code)');
  const runDir = prepareRunDir(path.join(out, 'run-host'));
  const resultFile = path.join(out, 'host-result.json');
  fs.rmSync(resultFile, { force: true });
  const server = await startCodeServer({ runDir, env: { GRADLENS_E2E_RESULT: resultFile } });
  const browser = await launchBrowser();
  const consoleLog = fs.createWriteStream(path.join(out, 'host-console.log'));
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      const text = m.text();
      consoleLog.write(text + '\n');
      if (text.includes('[Extension Host]') && /passing|failing|✔|✓|\d+\)|Error/.test(text)) console.log('  ' + text.replace(/^.*\[Extension Host\]\s*/, '').replace(/%c/g, ''));
    });
    await page.goto(server.url(workspace, {
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'e2e', 'host.js'),
    }));
    await waitForFile(resultFile, 8 * 60_000, () => server.child.exitCode === null);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    for (const p of result.passes) console.log(`  ✓ ${p.title} (${p.ms} ms)`);
    for (const f of result.failures) console.log(`  ✗ ${f.title}\n${f.error.replace(/^/gm, '      ')}`);
    console.log(`  ${result.passed} passed, ${result.failed} failed; timings ${JSON.stringify(result.timings)}`);
    return result.failed === 0 && result.passed > 0;
  } finally {
    consoleLog.end();
    await browser.close();
    await server.stop();
  }
}

async function main() {
  await build();
  const workspace = prepareWorkspace();
  const results = {};
  if (only('--host')) results.host = await hostTests(workspace).catch((e) => (console.error(e), false));
  if (only('--browser')) {
    step('browser test (playwright-core + Chromium)');
    results.browser = await runBrowserTest({ workspace, out }).catch((e) => (console.error(e), false));
    step('workspace trust (browser)');
    results.trust = await runTrustTest({ workspace, out }).catch((e) => (console.error(e), false));
  }
  if (withVsix) {
    step('package and install the .vsix');
    results.vsix = await runVsixTest({ workspace, out }).catch((e) => (console.error(e), false));
  }
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(results, null, 2));
  const failed = Object.entries(results).filter(([, ok]) => !ok).map(([k]) => k);
  console.log(`\ne2e: ${failed.length ? `FAILED: ${failed.join(', ')}` : `all passed (${Object.keys(results).join(', ')})`}`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
