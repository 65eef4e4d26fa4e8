// The engine's public surface: what the runtime, the CLI and the tests use.
import { setBackend } from './kernels/backend';
import { plainBackend } from './kernels/plain';
import { createWasmBackend } from './kernels/wasm';

/** WebAssembly SIMD by default; GRADLENS_BACKEND=plain selects the reference TypeScript kernels. */
function defaultBackend() {
  if (typeof process !== 'undefined' && process.env?.GRADLENS_BACKEND === 'plain') return plainBackend;
  try {
    return createWasmBackend();
  } catch {
    return plainBackend;
  }
}
setBackend(defaultBackend());

export { Session } from './session';
export { Node, Ref } from './tape';
export { Tensor, memory, numel, type DType, type Data } from './tensor';
export { opTable, opRow, opInfo } from './ops/table';
export type { OpRow, Params } from './ops/row';
export type { IndexItem } from './ops/indexing';
export { runBackward, topoOrder } from './backward';
export { exportGraph, chooseRoot, type GraphExport, type ExportOptions } from './export';
export { summarize } from './summary';
export { EngineError, ShapeError, GradError, UnsupportedError, IndexError, MemoryLimitError } from './errors';
export { setBackend, backend, type Backend } from './kernels/backend';
export { plainBackend } from './kernels/plain';
export { createWasmBackend } from './kernels/wasm';
