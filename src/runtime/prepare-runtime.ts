// Run by esbuild.js after bundling, so that a trace starts fast, even the first on a machine:
//  1. Pyodide's memory snapshot next to the bundle (dist/), made once per Pyodide build;
//  2. the shim in dist/python compiled to bytecode (__pycache__, checked-hash .pyc files: Python
//     checks them against the source's hash, so a stale one is never used). Compiling the
//     ~3,500 lines took ~0.6 s of every cold start.
import fs from 'fs';
import path from 'path';
import { loadPyodideFast, snapshotName, startAndSnapshot } from './snapshot';
import { pyodideDir, pythonDir, runtimeDir } from './paths';

async function makeSnapshot(indexURL: string): Promise<void> {
  const name = snapshotName(indexURL);
  if (!name) throw new Error(`no Pyodide build found in ${indexURL}`);
  const file = path.join(runtimeDir(), name);
  if (fs.existsSync(file)) return;
  for (const old of fs.readdirSync(runtimeDir())) if (old.endsWith('.snapshot')) fs.rmSync(path.join(runtimeDir(), old));
  const t = Date.now();
  // The same options as the runtime worker's start, so the snapshot is of the same interpreter.
  await startAndSnapshot({ indexURL, stdout: () => {}, stderr: () => {} }, file);
  if (!fs.existsSync(file)) throw new Error('Pyodide made no snapshot');
  console.log(`dist/${name}: ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function compileShim(indexURL: string): Promise<void> {
  const shim = pythonDir();
  if (!fs.existsSync(shim)) return;
  const py = await loadPyodideFast({ indexURL, stdout: () => {}, stderr: () => {} });
  py.FS.mkdirTree('/shim');
  py.FS.mount(py.FS.filesystems.NODEFS, { root: shim }, '/shim');
  py.runPython(`
import compileall, py_compile
compileall.compile_dir('/shim', quiet=2, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
`);
  const pycs = fs.readdirSync(shim, { recursive: true }).filter((f) => String(f).endsWith('.pyc')).length;
  if (!pycs) throw new Error(`no bytecode written in ${shim}`);
}

async function main(): Promise<void> {
  const strict = process.argv.includes('--strict');
  let failed = false;
  for (const step of [makeSnapshot, compileShim]) {
    try {
      await step(pyodideDir());
    } catch (e) {
      failed = true;
      console.error(`prepare-runtime: ${e instanceof Error ? e.message : e}${strict ? '' : ' (continuing: the runtime starts without it, more slowly)'}`);
    }
  }
  process.exit(failed && strict ? 1 : 0);
}

void main();
