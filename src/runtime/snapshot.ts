// Pyodide's memory snapshot of a freshly initialised interpreter (and a few stdlib modules):
// loading it takes ~0.7 s instead of a 3–6 s cold start. It is a private Pyodide API tied to the
// exact Pyodide build, so the file name carries the version and size of the wasm it came from,
// and any failure falls back to a normal start. The build makes one next to the bundle (dist/,
// shipped in the .vsix), so even the first trace on a machine starts fast; without it, the first
// start makes one in the temp folder.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { runtimeDir } from './paths';

type Options = Parameters<typeof loadPyodide>[0] & { indexURL: string };

/**
 * Standard-library modules the runtime (and the course's files) import that a fresh Pyodide has
 * not loaded: imported before the snapshot is taken, so no trace pays for them (pickle alone took
 * 0.1–0.3 s of every start). Pure Python and C modules only: nothing that holds a JS object.
 */
const PRELOADED = ['pickle', 'gzip', 'numbers'];

export function snapshotName(indexURL: string): string | null {
  try {
    const version = JSON.parse(fs.readFileSync(path.join(indexURL, 'package.json'), 'utf8')).version as string;
    const wasmBytes = fs.statSync(path.join(indexURL, 'pyodide.asm.wasm')).size;
    // The preload list is part of the name: a snapshot cached by another build is not taken for this one's.
    return `gradlens-pyodide-${version}-${wasmBytes}-${PRELOADED.join('+')}.snapshot`;
  } catch {
    return null;
  }
}

export async function loadPyodideFast(options: Options): Promise<PyodideAPI> {
  const name = process.env.GRADLENS_NO_SNAPSHOT ? null : snapshotName(options.indexURL);
  if (!name) return loadPyodide(options);
  const shipped = path.join(runtimeDir(), name);
  if (fs.existsSync(shipped)) {
    try {
      return await loadPyodide({ ...options, _loadSnapshot: fs.readFileSync(shipped) });
    } catch {
      // Not loadable here: try the temp folder's, or make one there.
    }
  }
  const cached = path.join(os.tmpdir(), name);
  if (fs.existsSync(cached)) {
    try {
      return await loadPyodide({ ...options, _loadSnapshot: fs.readFileSync(cached) });
    } catch {
      fs.rmSync(cached, { force: true });
    }
  }
  return startAndSnapshot(options, cached);
}

/**
 * A normal start that also writes the snapshot to `file` (taken after the PRELOADED imports,
 * before anything of ours — JS modules, stdout hooks — enters the interpreter). Returns the
 * interpreter, ready to use.
 */
export async function startAndSnapshot(options: Options, file: string): Promise<PyodideAPI> {
  const py = await loadPyodide({ ...options, _makeSnapshot: true });
  try {
    py.runPython(PRELOADED.map((m) => `import ${m}`).join('\n'));
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, py.makeMemorySnapshot());
    fs.renameSync(tmp, file);
  } catch {
    // No snapshot this time: the next start is cold again.
  }
  return py;
}
