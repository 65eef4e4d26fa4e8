// Run by esbuild.js after bundling: writes Pyodide's memory snapshot next to the bundle (dist/),
// so the first trace on a machine loads it instead of starting the interpreter cold. Skipped when
// a snapshot of this Pyodide build is already there.
import fs from 'fs';
import path from 'path';
import { pyodideDir, runtimeDir } from './paths';
import { snapshotName, startAndSnapshot } from './snapshot';

async function main(): Promise<void> {
  const indexURL = pyodideDir();
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

main().catch((e: unknown) => {
  console.error(`make-snapshot: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
