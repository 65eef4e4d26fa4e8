// The WebAssembly SIMD backend: matmul through the packed sgemm in wasm/sgemm.c. Operands are
// copied into the module's memory (the engine's tensors live in JS typed arrays). One thread: a
// two-thread split over shared memory was tried and gave intermittently wrong rows (see the notes
// on issue 6), so it is not shipped.
import type { Backend } from './backend';
import { SGEMM_WASM_BASE64 } from './wasm/sgemm-bytes';

const PAGE = 65536;
const RESERVED = 1 << 20; // the module's shadow stack lives below 1 MB
const KC = 256, MC = 128, NR = 8;

type Sgemm = (a: number, b: number, c: number, m: number, k: number, n: number, ta: number, tb: number,
  ap: number, bp: number, rowBegin: number, rowEnd: number) => void;

export function createWasmBackend(): Backend {
  const memory = new WebAssembly.Memory({ initial: RESERVED / PAGE + 16, maximum: 65536 });
  const bytes = Buffer.from(SGEMM_WASM_BASE64, 'base64');
  const sgemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.sgemm as Sgemm;

  const ensure = (bytesNeeded: number) => {
    const have = memory.buffer.byteLength;
    if (bytesNeeded > have) memory.grow(Math.ceil((bytesNeeded - have) / PAGE));
  };

  // Tensor data is immutable once made, so the same array (x in x @ w1, then x.T @ g) is copied
  // into the module once. A plain reference to the last one: a WeakRef's target stays alive until
  // the current job ends, and a whole trace is one job, so WeakRefs would keep every operand.
  let copiedA: Float32Array | null = null;

  return {
    name: 'wasm-simd',
    matmul(a, b, out, m, k, n, transA, transB) {
      const aBytes = m * k * 4, bBytes = k * n * 4, cBytes = m * n * 4;
      const apBytes = MC * KC * 4, bpBytes = KC * (Math.ceil(n / NR) * NR) * 4;
      const aOff = RESERVED, bOff = aOff + aBytes, cOff = bOff + bBytes, scratch = cOff + cBytes;
      ensure(scratch + apBytes + bpBytes);
      const heap = new Float32Array(memory.buffer);
      if (copiedA !== a || a.length < 4096) {
        heap.set(a, aOff / 4);
        copiedA = a.length >= 4096 ? a : null;
      }
      heap.set(b, bOff / 4);
      sgemm(aOff, bOff, cOff, m, k, n, transA ? 1 : 0, transB ? 1 : 0, scratch, scratch + apBytes, 0, m);
      out.set(new Float32Array(memory.buffer, cOff, m * n));
    },
  };
}
