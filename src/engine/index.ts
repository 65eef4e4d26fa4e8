// The engine's public surface: what the runtime, the CLI and the tests use.
import { setBackend } from './kernels/backend';
import { plainBackend } from './kernels/plain';
import { createNativeBackend } from './kernels/native';
import { createWasmBackend } from './kernels/wasm';

/**
 * The native AVX2 kernel where its addon is built and the CPU can run it, else WebAssembly SIMD.
 * GRADLENS_BACKEND=wasm or =plain (the reference TypeScript kernels) chooses one.
 */
function defaultBackend() {
  const wanted = typeof process !== 'undefined' ? process.env?.GRADLENS_BACKEND : undefined;
  if (wanted === 'plain') return plainBackend;
  try {
    return (wanted !== 'wasm' && createNativeBackend()) || createWasmBackend();
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
export { createNativeBackend, loadNativeAddon } from './kernels/native';
