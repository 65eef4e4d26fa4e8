// Where the runtime's files are at run time: next to the bundle in dist/ (worker.js, python/), or
// next to the sources under tsx (worker.ts, python/). Pyodide is loaded from node_modules.
import fs from 'fs';
import path from 'path';

export function runtimeDir(): string {
  return __dirname;
}

export function workerScript(): string {
  const js = path.join(runtimeDir(), 'worker.js');
  return fs.existsSync(js) ? js : path.join(runtimeDir(), 'worker.ts');
}

export function pythonDir(): string {
  return path.join(runtimeDir(), 'python');
}

export function pyodideDir(): string {
  return path.dirname(require.resolve('pyodide/package.json'));
}
