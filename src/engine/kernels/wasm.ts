// The WebAssembly SIMD backend: matmul through the packed sgemm in wasm/sgemm.c, split by rows
// of the result between this thread and one helper thread sharing the module's memory. Operands
// are copied into that memory (the engine's tensors live in JS typed arrays).
import { Worker } from 'node:worker_threads';
import type { Backend } from './backend';
import { SGEMM_WASM_BASE64 } from './wasm/sgemm-bytes';

const PAGE = 65536;
const RESERVED = 1 << 20; // the module's shadow stack and data live below 1 MB
const KC = 256, MC = 128, NR = 8;
/** Below this many multiply-adds a second thread costs more than it saves. */
const SPLIT_WORK = 4e6;

type Sgemm = (a: number, b: number, c: number, m: number, k: number, n: number, ta: number, tb: number,
  ap: number, bp: number, rowBegin: number, rowEnd: number) => void;

// Control words shared with the helper: [generation, done, ...sgemm arguments].
const GEN = 0, DONE = 1, ARGS = 2;

const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { memory, bytes, control } = workerData;
const sgemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.sgemm;
const ctl = new Int32Array(control);
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  if (seen < 0) break;
  const a = Array.from(ctl.subarray(${ARGS}, ${ARGS} + 12));
  sgemm(...a);
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

export function createWasmBackend(options: { threads?: 1 | 2 } = {}): Backend {
  const memory = new WebAssembly.Memory({ initial: RESERVED / PAGE + 16, maximum: 65536, shared: true });
  const bytes = Buffer.from(SGEMM_WASM_BASE64, 'base64');
  const sgemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.sgemm as Sgemm;
  const control = new Int32Array(new SharedArrayBuffer(4 * (ARGS + 12)));
  let helperReady = false;
  if ((options.threads ?? 2) > 1) {
    const helper = new Worker(HELPER_SOURCE, { eval: true, workerData: { memory, bytes, control: control.buffer } });
    helper.unref();
    helper.once('message', () => { helperReady = true; });
    helper.once('error', () => { helperReady = false; });
    helper.once('exit', () => { helperReady = false; });
  }

  const ensure = (bytesNeeded: number) => {
    const have = memory.buffer.byteLength;
    if (bytesNeeded > have) memory.grow(Math.ceil((bytesNeeded - have) / PAGE));
  };

  // Tensor data is immutable once made, so the same array (x in x @ w1, then x.T @ g) is copied
  // into the module once.
  let copiedA: WeakRef<Float32Array> | null = null;

  return {
    name: 'wasm-simd',
    matmul(a, b, out, m, k, n, transA, transB) {
      const aBytes = m * k * 4, bBytes = k * n * 4, cBytes = m * n * 4;
      const apBytes = MC * KC * 4, bpBytes = KC * (Math.ceil(n / NR) * NR) * 4;
      const aOff = RESERVED, bOff = aOff + aBytes, cOff = bOff + bBytes;
      const scratch = cOff + cBytes, scratch2 = scratch + apBytes + bpBytes;
      ensure(scratch2 + apBytes + bpBytes);
      const heap = new Float32Array(memory.buffer);
      if (copiedA?.deref() !== a || a.length < 4096) {
        heap.set(a, aOff / 4);
        copiedA = a.length >= 4096 ? new WeakRef(a) : null;
      }
      heap.set(b, bOff / 4);
      const ta = transA ? 1 : 0, tb = transB ? 1 : 0;
      if (helperReady && m >= 8 && m * k * n >= SPLIT_WORK) {
        const half = Math.floor(m / 2 / 4) * 4;
        control.set([aOff, bOff, cOff, m, k, n, ta, tb, scratch2, scratch2 + apBytes, half, m], ARGS);
        const gen = Atomics.add(control, GEN, 1) + 1;
        Atomics.notify(control, GEN);
        sgemm(aOff, bOff, cOff, m, k, n, ta, tb, scratch, scratch + apBytes, 0, half);
        while (Atomics.load(control, DONE) !== gen) Atomics.wait(control, DONE, Atomics.load(control, DONE));
      } else {
        sgemm(aOff, bOff, cOff, m, k, n, ta, tb, scratch, scratch + apBytes, 0, m);
      }
      out.set(new Float32Array(memory.buffer, cOff, m * n));
    },
  };
}
