// The WebAssembly SIMD kernels of wasm/normal.c: MT19937 → float32 uniforms, the AVX2-flavour
// Box–Muller of fastnormal.ts and the exact fmadd(x, std, mean), bit-identical to the JS path.
// The generator's state stays in the JS MT19937 (get/set_rng_state, every other op); each call
// copies the 624 words in and back out. Data goes through one fixed buffer in the module's memory,
// a chunk at a time: it stays in cache between the uniform and the normal pass, the memory never
// grows, and the exports are called many times, which is what lets V8 swap its baseline code
// for optimised code early (it only does so between calls, never inside a long one).
import type { MT19937 } from './mt19937';
import { MT_N } from './mt19937';
import { NORMAL_WASM_BASE64 } from './wasm/normal-bytes';

const PAGE = 65536;
const MT_OFF = 65536; // above the module's 64 KB shadow stack (--stack-first)
const BUF_OFF = MT_OFF + 4096; // after the state: 624 words, left, next
/** Floats per call: a multiple of 16 (whole Box–Muller blocks); 64 KB stays in L2 between passes. */
export const CHUNK = 16384;

interface Exports {
  fill_uniform(mt: number, out: number, n: number): void;
  normal_blocks(data: number, n: number): void;
  fmadd(data: number, n: number, std: number, mean: number): void;
}

export interface WasmRandom {
  /** eng.fillUniform24(out, offset, n), then fmaf(x, scale, shift) unless that is the identity. */
  fillUniform(eng: MT19937, out: Float32Array, offset: number, n: number, scale?: number, shift?: number): void;
  /**
   * Uniforms into out[offset..offset+n) (n draws), then Box–Muller and, unless std = 1 and
   * mean = 0, fmadd(x, std, mean) on its whole blocks of 16 (the first n - n % 16 elements).
   * std and mean are float32 values.
   */
  fillNormal(eng: MT19937, out: Float32Array, offset: number, n: number, mean: number, std: number): void;
  /** normalFillAvx2Blocks on given uniforms, data[start..end) in whole blocks (tests). */
  normalBlocks(data: Float32Array, start: number, end: number): void;
  /** data[i] = fmaf(data[i], std, mean) (tests). */
  fmadd(data: Float32Array, std: number, mean: number): void;
}

function instantiate(): WasmRandom | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = Buffer.from(NORMAL_WASM_BASE64, 'base64');
  if (!WebAssembly.validate(bytes)) return null; // no SIMD: the JS path
  // the import declares a maximum (build-wasm.sh), so the memory needs one too
  const pages = Math.ceil((BUF_OFF + CHUNK * 4) / PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Exports;
  // memory never grows, so these views stay valid
  const words = new Uint32Array(memory.buffer, MT_OFF, MT_N);
  const leftNext = new Int32Array(memory.buffer, MT_OFF + MT_N * 4, 2);
  const buf = new Float32Array(memory.buffer, BUF_OFF, CHUNK);

  const load = (eng: MT19937) => {
    words.set(eng.state);
    leftNext[0] = eng.left;
    leftNext[1] = eng.next;
  };
  const store = (eng: MT19937) => {
    eng.state.set(words);
    eng.left = leftNext[0];
    eng.next = leftNext[1];
  };
  /** Runs `pass` on data[start..end) chunk by chunk through the module's buffer. */
  const chunked = (data: Float32Array, start: number, end: number, copyIn: boolean, pass: (len: number) => void) => {
    for (let i = start; i < end; i += CHUNK) {
      const len = Math.min(CHUNK, end - i);
      if (copyIn) buf.set(data.subarray(i, i + len));
      pass(len);
      data.set(len === CHUNK ? buf : buf.subarray(0, len), i);
    }
  };

  return {
    fillUniform(eng, out, offset, n, scale = 1, shift = 0) {
      const plain = scale === 1 && shift === 0;
      load(eng);
      chunked(out, offset, offset + n, false, (len) => {
        wasm.fill_uniform(MT_OFF, BUF_OFF, len);
        if (!plain) wasm.fmadd(BUF_OFF, len, scale, shift); // up to 3 past len: still in the buffer
      });
      store(eng);
    },
    fillNormal(eng, out, offset, n, mean, std) {
      const plain = mean === 0 && std === 1;
      load(eng);
      chunked(out, offset, offset + n, false, (len) => {
        wasm.fill_uniform(MT_OFF, BUF_OFF, len);
        const blocks = len - (len % 16); // CHUNK is a multiple of 16: only the last chunk has a tail
        wasm.normal_blocks(BUF_OFF, blocks);
        if (!plain) wasm.fmadd(BUF_OFF, blocks, std, mean);
      });
      store(eng);
    },
    normalBlocks(data, start, end) {
      chunked(data, start, end, true, (len) => wasm.normal_blocks(BUF_OFF, len));
    },
    fmadd(data, std, mean) {
      chunked(data, 0, data.length, true, (len) => wasm.fmadd(BUF_OFF, len, std, mean));
    },
  };
}

let cached: WasmRandom | null | undefined;

/** The wasm kernels, or null where WebAssembly SIMD is unavailable. Instantiated on first use. */
export function wasmRandom(): WasmRandom | null {
  if (cached === undefined) {
    try {
      cached = instantiate();
    } catch {
      cached = null;
    }
  }
  return cached;
}
