// The WebAssembly SIMD backend: matmul through the packed sgemm in wasm/sgemm.c. Operands are
// copied into the module's memory (the engine's tensors live in JS typed arrays). Products big
// enough to pay for the round trip are cut into blocks (see splitJob) that this thread and one
// helper thread (wasm-helper.ts) share, each running its own instance of the module over the same
// shared memory. Each instance has its own shadow stack and scratch panels; only this thread grows
// the memory, and only before a job is posted. Without worker threads, everything runs here.
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { memory as tensorMemory } from '../tensor';
import type { Backend } from './backend';
import { Cut, MAX_BLOCKS, SgemmHelper } from './wasm-helper';
import { SGEMM_RELAXED_WASM_BASE64, SGEMM_WASM_BASE64 } from './wasm/sgemm-bytes';

const PAGE = 65536;
const MEMORY_MAX = 65536 * PAGE; // the module's memory: 4 GB at most
const RESERVED = 1 << 20; // below 1 MB: this instance's stack (the first 64 KB) and the helper's (the last)
const KC = 400, MC = 128, MR = 4, NR = 8;
/**
 * Multiply-adds (m·k·n) from which a product is split between the two threads. Measured: two
 * threads break even near 1M and save ~25% at 2M (128³); this is just above the batch-50
 * products of a training loop (50·784·50), which stay here, clear of a helper's wake-up.
 */
export const SPLIT_WORK = 1 << 21;
/** Rows, columns or depth a block gets at least (see splitJob). */
const MIN_BLOCK = 256;
/** Floats of C that the blocks of a depth cut may use together. */
const MAX_DEPTH_C = 1 << 22;
/** Operands below this many floats are copied every time (cheaper than tracking them). */
const CACHE_MIN = 4096;
/** Bytes the kept operand may take with its packed layouts (the module's memory stops at 4 GB). */
const CACHE_MAX = 1536 * 1024 * 1024;
/** Products of at least this many floats go into shared memory that both threads fill (see wasm-helper.ts). */
const SHARED_PRODUCT = 1 << 20;
/** sgemm's transA for an operand that pack_a_full has packed. */
const PREPACKED = 2;

type PackAFull = (a: number, transA: number, m: number, k: number, out: number) => void;
type Sgemm = (a: number, b: number, c: number, m: number, k: number, n: number, ta: number, tb: number,
  scratch: number, rowBegin: number, rowEnd: number, colBegin: number, colEnd: number, depthBegin: number, depthEnd: number) => void;

export interface WasmBackend extends Backend {
  /** 1 or 2: how many threads big products use (2 only once the helper has started). */
  readonly threads: number;
  /** Whether the products use fused multiply-adds (the relaxed-SIMD build of sgemm.c). */
  readonly fused: boolean;
  /** Blocks of big products whose rows the helper thread put into the shared result itself. */
  readonly rowsCopiedByHelper: number;
  /** Ends the helper thread; the backend keeps working on one thread. */
  dispose(): void;
}

// A replaced backend that is collected takes its helper thread with it.
const helpers = new FinalizationRegistry<SgemmHelper>((helper) => helper.dispose());

export interface WasmOptions {
  threads?: 1 | 2;
  /** Overrides SPLIT_WORK (tests and measurements). */
  splitWork?: number;
  /** false: the plain simd128 build even where relaxed SIMD is available. */
  fused?: boolean;
}

const compiled: { plain?: WebAssembly.Module; relaxed?: WebAssembly.Module | null } = {};

/**
 * sgemm.c built with relaxed SIMD (fused multiply-add), or null where this runtime cannot run it.
 * Relaxed SIMD is a finished WebAssembly feature, on by default in Chrome ≥ 114, Node ≥ 21 and
 * VS Code's Electron; Node 20 (code-server, VS Code's remote server) has it behind a V8 flag,
 * which is turned on here. The flag is process-wide (the whole extension host): it only lets
 * WebAssembly modules use the feature, and is set only where validation says it is missing.
 */
function relaxedModule(): WebAssembly.Module | null {
  if (compiled.relaxed !== undefined) return compiled.relaxed;
  const bytes = Buffer.from(SGEMM_RELAXED_WASM_BASE64, 'base64');
  if (!WebAssembly.validate(bytes)) {
    try { setFlagsFromString('--experimental-wasm-relaxed-simd'); } catch { /* not a V8 we can set */ }
  }
  compiled.relaxed = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled.relaxed;
}

function sgemmModule(fused: boolean): { module: WebAssembly.Module; fused: boolean } {
  const relaxed = fused ? relaxedModule() : null;
  if (relaxed) return { module: relaxed, fused: true };
  compiled.plain ??= new WebAssembly.Module(Buffer.from(SGEMM_WASM_BASE64, 'base64'));
  return { module: compiled.plain, fused: false };
}

export function createWasmBackend(options: WasmOptions = {}): WasmBackend {
  const memory = new WebAssembly.Memory({ initial: RESERVED / PAGE + 16, maximum: MEMORY_MAX / PAGE, shared: true });
  const { module, fused } = sgemmModule(options.fused ?? true);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const sgemm = exports.sgemm as Sgemm;
  const packAFull = exports.pack_a_full as PackAFull;
  // The scratch panels are sized here: a module built with another KC would write past them.
  if ((exports.panel_depth as () => number)() !== KC) throw new Error(`sgemm.c's KC is not ${KC}: rebuild with scripts/build-wasm.sh`);
  let helper = (options.threads ?? (availableParallelism() > 1 ? 2 : 1)) > 1 ? startHelper(module, memory) : null;

  const ensure = (bytesNeeded: number) => {
    const have = memory.buffer.byteLength;
    if (bytesNeeded > have) memory.grow(Math.ceil((bytesNeeded - have) / PAGE));
  };

  // Tensor data is immutable once made, so the biggest operand seen (x in x @ w1, then x.T @ g,
  // then x @ w1 again) is copied into the module once and keeps its own region at the start;
  // smaller operands go after it and do not evict it. Used again, it is also packed whole in the
  // layout the product reads (one per transpose flag, kept after the copy), which saves packing it
  // for every product: a quarter of x @ w1's time. A plain reference to it: a WeakRef's target
  // stays alive until the current job ends, and a whole trace is one job, so WeakRefs would keep
  // every operand.
  let cachedA: Float32Array | null = null;
  let cachedBytes = 0; // its copy
  let cachedRegion = 0; // its copy and packed layouts
  // Its packed layouts, by how a product reads it (a reshaped view has the same data, other m, k).
  let packed: { ta: number; m: number; k: number; at: number }[] = [];

  const backend: WasmBackend = {
    name: fused ? 'wasm-simd-fma' : 'wasm-simd',
    fused,
    get threads() { return helper?.ready ? 2 : 1; },
    get rowsCopiedByHelper() { return helper?.rowsCopiedByHelper ?? 0; },
    release() {
      cachedA = null;
      cachedBytes = cachedRegion = 0;
      packed = [];
    },
    allocateProduct(n) {
      if (n < SHARED_PRODUCT || !helper?.ready) return null;
      tensorMemory.charge(n * 4);
      return new Float32Array(new SharedArrayBuffer(n * 4));
    },
    dispose() {
      helper?.dispose();
      helper = null;
    },
    matmul(a, b, out, m, k, n, transA, transB) {
      // Cut by the shape alone, helper ready or not: blocks run in the same order and sum the same
      // way on one thread, so a product has the same bits in every trace.
      const job = helper ? splitJob(m, k, n, options.splitWork) : null;
      const blocksOfC = job?.cut === Cut.Depth ? job.bounds.length - 1 : 1;
      const scratchBytes = 4 * (NR + MC * KC + KC * roundUp(n, NR)), cStride = align(m * n * 4);
      const aBytes = align(m * k * 4);
      const reuse = cachedA === a;
      const becomesCached = !reuse && a.length >= CACHE_MIN && aBytes >= cachedBytes;
      const ta = transA ? 1 : 0, tb = transB ? 1 : 0;
      // After the kept region: this call's A (unless it is the kept one), B, C and two scratches.
      const callBytes = (reuse || becomesCached ? 0 : aBytes) + align(k * n * 4) + blocksOfC * cStride + 2 * align(scratchBytes);
      if (reuse && packed.length && RESERVED + cachedRegion + callBytes > MEMORY_MAX) {
        packed = []; // the packed layouts make room for a product that would not fit beside them
        cachedRegion = cachedBytes;
      }
      let layout = reuse ? packed.find((p) => p.ta === ta && p.m === m && p.k === k) : undefined;
      const packedBytes = align(roundUp(m, MR) * k * 4);
      if (reuse && !layout && packed.length < 2 && cachedRegion + packedBytes <= CACHE_MAX
        && RESERVED + cachedRegion + packedBytes + callBytes <= MEMORY_MAX) {
        ensure(RESERVED + cachedRegion + packedBytes); // the state changes only once the memory is there
        layout = { ta, m, k, at: RESERVED + cachedRegion };
        cachedRegion += packedBytes;
        packAFull(RESERVED, ta, m, k, layout.at);
        packed.push(layout);
      }
      const region = becomesCached ? aBytes : cachedRegion;
      const aOff = reuse || becomesCached ? RESERVED : RESERVED + region;
      const bOff = Math.max(aOff + aBytes, RESERVED + region), cOff = bOff + align(k * n * 4);
      const scratch = cOff + blocksOfC * cStride, helperScratch = scratch + align(scratchBytes);
      ensure(helperScratch + scratchBytes); // grown here, before the helper is given any work
      const heap = new Float32Array(memory.buffer);
      if (!reuse) heap.set(a, aOff / 4);
      heap.set(b, bOff / 4);
      // Kept only once it is copied (a failed grow above leaves the previous one as it was).
      if (becomesCached) { cachedA = a; cachedBytes = cachedRegion = aBytes; packed = []; }
      const [aRead, aHow] = layout ? [layout.at, PREPACKED] : [aOff, ta];
      let copied = false;
      if (helper && job) {
        const args = [aRead, bOff, cOff, m, k, n, aHow, tb, helperScratch];
        copied = SgemmHelper.copiesOut(job.cut, out);
        helper.run({ ...job, args, cStride: blocksOfC > 1 ? cStride : 0, out: copied ? out : undefined }, sgemm, scratch);
      } else {
        sgemm(aRead, bOff, cOff, m, k, n, aHow, tb, scratch, 0, m, 0, n, 0, k);
      }
      if (!copied) out.set(new Float32Array(memory.buffer, cOff, m * n));
      for (let i = 1; i < blocksOfC; i++) { // the depth blocks' sums, in a fixed order
        const part = new Float32Array(memory.buffer, cOff + i * cStride, m * n);
        for (let j = 0; j < part.length; j++) out[j] += part[j];
      }
    },
  };
  if (helper) helpers.register(backend, helper);
  return backend;
}

function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory): SgemmHelper | null {
  try {
    return new SgemmHelper(module, memory, RESERVED);
  } catch {
    return null; // no worker threads here: one thread
  }
}

/**
 * How to cut a product into blocks for two threads, or null to keep it on this one. Each block
 * packs again the panel of the operand it does not cut (rows: all of B, k·n; columns: all of A,
 * m·k), and a block of the depth k sums into a C of its own (m·n), so the cut is the one whose
 * repeated part is smallest: x @ w1 by rows, x.T @ g (784×50000·50000×50) by depth. An even
 * number of blocks, so that two equally fast threads finish together.
 */
export function splitJob(m: number, k: number, n: number, minWork = SPLIT_WORK): { cut: Cut; bounds: number[] } | null {
  if (m * k * n < minWork) return null;
  const cuts = [
    { cut: Cut.Rows, extent: m, unit: MR, repeated: k * n },
    { cut: Cut.Columns, extent: n, unit: NR, repeated: m * k },
    { cut: Cut.Depth, extent: k, unit: KC, repeated: m * n },
  ].filter((c) => c.extent >= 2 * c.unit && (c.cut !== Cut.Depth || 2 * m * n <= MAX_DEPTH_C));
  if (cuts.length === 0) return null;
  const { cut, extent, unit } = cuts.reduce((best, c) => (c.repeated < best.repeated ? c : best));
  let blocks = Math.min(MAX_BLOCKS, 2 * Math.floor(extent / (2 * Math.max(unit, MIN_BLOCK))));
  if (cut === Cut.Depth) blocks = Math.min(blocks, 2 * Math.floor(MAX_DEPTH_C / (2 * m * n)));
  blocks = Math.max(blocks, 2);
  const bounds = Array.from({ length: blocks + 1 }, (_, i) => Math.min(extent, roundUp((extent * i) / blocks, unit)));
  return { cut, bounds };
}

const roundUp = (x: number, unit: number) => Math.ceil(x / unit) * unit;
const align = (bytes: number) => roundUp(bytes, 64);
