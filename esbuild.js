// One build script, one entry per target: extension host, runtime worker, CLI, webview.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Pyodide loads its own files from node_modules at run time; vscode is provided by the host.
  external: ['vscode', 'pyodide'],
};

const targets = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/runtime/worker.ts'], outfile: 'dist/worker.js' },
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/runtime/prepare-runtime.ts'], outfile: 'dist/prepare-runtime.js' },
].filter((t) => fs.existsSync(t.entryPoints[0]));

async function main() {
  const builds = targets.map((t) => ({ ...node, ...t }));
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  }
  const webviewBuild = path.join(__dirname, 'webview', 'build.mjs');
  if (fs.existsSync(webviewBuild)) {
    const { buildWebview } = await import(webviewBuild);
    await buildWebview({ outdir: path.join(__dirname, 'dist', 'webview'), minify: production });
  }
}

// The runtime worker reads the Python `torch` shim from dist/python at run time.
function copyRuntimePython() {
  const from = path.join(__dirname, 'src', 'runtime', 'python');
  const to = path.join(__dirname, 'dist', 'python');
  if (!fs.existsSync(from) || (fs.existsSync(to) && fs.lstatSync(to).isSymbolicLink())) return;
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: (p) => !p.includes('__pycache__') });
}

// Pyodide's memory snapshot and the shim's bytecode (see src/runtime/prepare-runtime.ts).
function prepareRuntime() {
  if (watch || !fs.existsSync(path.join(__dirname, 'dist', 'prepare-runtime.js'))) return;
  // A package must have them; a development build still works without (a slower first start).
  const args = [path.join(__dirname, 'dist', 'prepare-runtime.js'), ...(production ? ['--strict'] : [])];
  require('child_process').execFileSync(process.execPath, args, { stdio: 'inherit' });
}

// The native matmul addon (src/engine/kernels/native/), on x86-64 Linux with a C compiler. Without
// one the engine uses its WebAssembly kernel: slower on one thread, the same results within 1e-5.
function buildNative() {
  const dir = path.join(__dirname, 'src', 'engine', 'kernels', 'native');
  const out = path.join(__dirname, 'dist', 'native', `gradlens-native-${process.platform}-${process.arch}.node`);
  const sources = ['sgemm.c', 'elementwise.c', 'addon.c', 'sgemm.h', 'elementwise.h'].map((f) => path.join(dir, f));
  if (process.platform !== 'linux' || process.arch !== 'x64' || !fs.existsSync(sources[0])) return;
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs), fs.statSync(path.join(__dirname, 'esbuild.js')).mtimeMs);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest) return;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const cc = process.env.CC || 'cc';
  const args = ['-O3', '-fPIC', '-shared', '-pthread', '-Wall', '-Wextra', '-Werror', '-o', out, ...sources.filter((f) => f.endsWith('.c')), '-lm'];
  const result = require('child_process').spawnSync(cc, args, { stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    fs.rmSync(out, { force: true });
    console.warn(`gradlens: no native matmul addon (${cc} ${result.error ? 'is not there' : 'failed'}); the engine will use its wasm kernel`);
  }
}

main().then(buildNative).then(copyRuntimePython).then(prepareRuntime).catch((e) => {
  console.error(e);
  process.exit(1);
});
