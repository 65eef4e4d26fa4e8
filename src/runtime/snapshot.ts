// Pyodide's memory snapshot of a freshly initialised interpreter: loading it takes ~0.7 s instead
// of a 3–6 s cold start. It is a private Pyodide API tied to the exact Pyodide build, so the file
// name carries the version and size of the wasm it came from, and any failure falls back to a
// normal start (and drops the file).
import fs from 'fs';
import os from 'os';
import path from 'path';
import { loadPyodide, type PyodideAPI } from 'pyodide';

type Options = Parameters<typeof loadPyodide>[0];

function snapshotFile(indexURL: string): string | null {
  try {
    const version = JSON.parse(fs.readFileSync(path.join(indexURL, 'package.json'), 'utf8')).version as string;
    const wasmBytes = fs.statSync(path.join(indexURL, 'pyodide.asm.wasm')).size;
    return path.join(os.tmpdir(), `gradlens-pyodide-${version}-${wasmBytes}.snapshot`);
  } catch {
    return null;
  }
}

export async function loadPyodideFast(options: Options & { indexURL: string }): Promise<PyodideAPI> {
  const file = process.env.GRADLENS_NO_SNAPSHOT ? null : snapshotFile(options.indexURL);
  if (file && fs.existsSync(file)) {
    try {
      return await loadPyodide({ ...options, _loadSnapshot: fs.readFileSync(file) });
    } catch {
      fs.rmSync(file, { force: true });
    }
  }
  if (!file) return loadPyodide(options);
  const py = await loadPyodide({ ...options, _makeSnapshot: true });
  try {
    // Taken before anything of ours (JS modules, stdout hooks) enters the interpreter.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, py.makeMemorySnapshot());
    fs.renameSync(tmp, file);
  } catch {
    // No snapshot this time: the next start is cold again.
  }
  return py;
}
