// Random numbers identical to PyTorch's CPU generator (CPUGeneratorImpl, torch 1.13) — issue 7.
//
// Pure functions on typed arrays; the engine wraps them into tensors. Every op reproduces
// torch's kernel *and its consumption order* of the MT19937 stream, so sequences of calls stay
// in step with a notebook that ran the same calls after the same torch.manual_seed().
// Paths (all verified against real torch 1.13, see test/unit/random.test.ts):
//  - float32 uniform (rand, uniform_, kaiming_uniform_, nn.Linear init, bernoulli(p tensor)):
//      one 32-bit draw per element, (draw & 0xffffff) * 2^-24, then * (to - from) + from in float32.
//  - float32 normal (randn, normal_) with >= 16 elements: all uniforms first, Box–Muller on
//      element j and j+8 of each block of 16; a non-multiple-of-16 tail draws 16 *fresh* uniforms
//      and recomputes the last 16 elements (see random/boxmuller.ts).
//  - normal with < 16 elements (any dtype): at::normal_distribution<double> — two 53-bit
//      doubles per pair, the second normal is cached in the generator for the next small call.
//  - float64 uniform: one random64() (two 32-bit draws, first is the high word), 53 bits.
//  - randint: draw % range + low (random64() when range >= 2^32); randperm: Fisher–Yates with
//      draw % (n - i) (the random64 inside-out variant for n >= 2^32/20).
//  - bernoulli_(p scalar) and dropout: one random64() double per element, u < p.
// Exactness vs torch 1.13 on x86 with AVX2: every float32 / int64 op bit-identical (including the
// 3 × 39.2 M-value randn fixtures); paths through libm doubles (normals of < 16 elements, float64
// randn) can differ from glibc in the last bit of the double, invisible after the float32 cast.
// capability 'default' reproduces torch's non-AVX2 CPUs (ARM, ATEN_CPU_CAPABILITY=default) only to
// ~2.4e-7 (scalar logf/cosf/sinf), not bit for bit. bernoulli_(p scalar) / dropout follow the
// non-MKL kernel (Debian, ARM builds); MKL builds (x86 pip wheels) draw those from MKL's stream.
// Speed: float32 fills of >= WASM_MIN elements (rand, uniform_, randn, normal_) run in WebAssembly
// SIMD (random/wasm/normal.c, bit-identical to the JS kernels, which remain the fallback).

import { MT19937 } from './random/mt19937';
import { fmaf, normalFill16, type Capability } from './random/boxmuller';
import { normalFillAvx2Blocks } from './random/fastnormal';
import { decodeState, encodeState } from './random/state';
import { wasmRandom, type WasmRandom } from './random/wasm-normal';

export { MT19937 } from './random/mt19937';
export { fmaf, type Capability } from './random/boxmuller';
export { STATE_BYTES } from './random/state';

export const DEFAULT_SEED = 67280421310721n;

const f = Math.fround;
const TWO_POW_32 = 4294967296;
/** From this many elements on, float32 uniform / normal fills use the wasm kernels. */
export const WASM_MIN = 256;
/** randperm switches to the random64 variant from this n on (uint32 max / 20). */
export const RANDPERM_RANDOM64_FROM = Math.floor(4294967295 / 20);

function toSeed(seed: number | bigint): bigint {
  const s = typeof seed === 'bigint' ? seed : BigInt(Math.trunc(seed));
  if (s < -(1n << 63n) || s >= 1n << 64n) {
    throw new RangeError('Overflow when unpacking long');
  }
  return BigInt.asUintN(64, s);
}

function nonDeterministicSeed(): bigint {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;
  if (c) c.getRandomValues(words);
  else { words[0] = Math.random() * TWO_POW_32; words[1] = Math.random() * TWO_POW_32; }
  return (BigInt(words[0]) << 32n) | BigInt(words[1]);
}

export class Generator {
  readonly engine: MT19937;
  /** at::CPUGeneratorImpl::next_double_normal_sample_ (cached second Box–Muller value). */
  nextDoubleNormal: number | null = null;
  /** next_float_normal_sample_ — never set by CPU kernels, kept for the state format. */
  nextFloatNormal: number | null = null;
  /** Which torch CPU kernel family the float32 normal path reproduces. */
  capability: Capability = 'avx2';
  /** Use the WebAssembly SIMD kernels where available; false forces the pure-JS path. */
  useWasm = true;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.engine = new MT19937(toSeed(seed));
  }

  manualSeed(seed: number | bigint): this {
    this.engine.init(toSeed(seed));
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  seed(): bigint {
    const s = nonDeterministicSeed();
    this.manualSeed(s);
    return s;
  }

  initialSeed(): bigint {
    return this.engine.seed;
  }

  /** torch.get_rng_state() bytes: 5056, byte-identical to torch 1.13's CPU generator state. */
  getState(): Uint8Array {
    return encodeState(this);
  }

  /** torch.set_rng_state(): accepts the 5056-byte format (and the legacy 5048-byte one). */
  setState(state: Uint8Array): void {
    decodeState(this, state);
  }

  // ---------------------------------------------------------------- raw draws

  /** generator->random(): one 32-bit draw. */
  random(): number {
    return this.engine.nextU32();
  }

  /** generator->random64() as a bigint. */
  random64(): bigint {
    return this.engine.nextU64();
  }

  /** One at::uniform_real_distribution<double>(0, 1) draw (53 bits of random64()). */
  uniformDouble(): number {
    return this.engine.nextDouble53();
  }

  /** The wasm kernels for a fill of n floats, or null for the JS path. */
  private wasmFor(n: number): WasmRandom | null {
    return this.useWasm && n >= WASM_MIN ? wasmRandom() : null;
  }

  /** n float32 uniforms into out[offset..): engine.fillUniform24, in wasm when big enough. */
  private fillUniform(out: Float32Array, offset: number, n: number): void {
    const w = this.wasmFor(n);
    if (w) w.fillUniform(this.engine, out, offset, n);
    else this.engine.fillUniform24(out, offset, n);
  }

  // ---------------------------------------------------------------- uniform

  /** torch.rand(n) (float32). */
  rand(n: number): Float32Array {
    const out = new Float32Array(n);
    this.fillUniform(out, 0, n);
    return out;
  }

  /** torch.rand(n, dtype=torch.float64). */
  randDouble(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.engine.nextDouble53();
    return out;
  }

  /** tensor.uniform_(from, to) on a float32 tensor: x * (to - from) + from in float32 (fused). */
  uniform_(out: Float32Array, from: number, to: number): void {
    const n = out.length;
    const lo = f(from);
    const range = f(f(to) - lo);
    const w = this.wasmFor(n);
    if (w) return w.fillUniform(this.engine, out, 0, n, range, lo);
    this.engine.fillUniform24(out, 0, n);
    if (lo === 0 && range === 1) return;
    for (let i = 0; i < n; i++) out[i] = fmaf32(out[i], range, lo);
  }

  /** tensor.uniform_(from, to) on a float64 tensor. */
  uniformDouble_(out: Float64Array, from: number, to: number): void {
    const range = to - from;
    for (let i = 0; i < out.length; i++) out[i] = this.engine.nextDouble53() * range + from;
  }

  // ---------------------------------------------------------------- normal

  /** at::normal_distribution<double>(mean, std) with the generator's cached second sample. */
  normalDouble(mean: number, std: number): number {
    let ret: number;
    if (this.nextDoubleNormal !== null) {
      ret = this.nextDoubleNormal;
      this.nextDoubleNormal = null;
    } else {
      const u1 = this.engine.nextDouble53();
      const u2 = this.engine.nextDouble53();
      const r = Math.sqrt(-2 * Math.log(1 - u2));
      const theta = 2 * Math.PI * u1;
      this.nextDoubleNormal = r * Math.sin(theta);
      ret = r * Math.cos(theta);
    }
    return ret * std + mean;
  }

  /** torch.randn(n) (float32). */
  randn(n: number): Float32Array {
    const out = new Float32Array(n);
    this.normal_(out, 0, 1);
    return out;
  }

  /** tensor.normal_(mean, std) on a contiguous float32 tensor (also torch.randn / torch.normal). */
  normal_(out: Float32Array, mean: number, std: number): void {
    const n = out.length;
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.normalDouble(mean, std);
      return;
    }
    const eng = this.engine;
    const cap = this.capability;
    const full = n - (n % 16);
    if (cap === 'avx2') {
      // fast kernel, then _mm256_fmadd_ps(n, std, mean) unless it is the identity
      const meanF = f(mean);
      const stdF = f(std);
      const plain = meanF === 0 && stdF === 1;
      const w = this.wasmFor(n);
      if (w) {
        w.fillNormal(eng, out, 0, n, meanF, stdF);
      } else {
        eng.fillUniform24(out, 0, n);
        normalFillAvx2Blocks(out, 0, full);
        if (!plain) for (let i = 0; i < full; i++) out[i] = fmaf(out[i], stdF, meanF);
      }
      if (full !== n) {
        eng.fillUniform24(out, n - 16, 16);
        normalFillAvx2Blocks(out, n - 16, n);
        if (!plain) for (let i = n - 16; i < n; i++) out[i] = fmaf(out[i], stdF, meanF);
      }
      return;
    }
    this.fillUniform(out, 0, n);
    for (let i = 0; i < full; i += 16) normalFill16(out, i, mean, std, cap);
    if (full !== n) {
      eng.fillUniform24(out, n - 16, 16);
      normalFill16(out, n - 16, mean, std, cap);
    }
  }

  /** torch.randn(n, dtype=torch.float64) / normal_ on a float64 tensor. */
  randnDouble(n: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(n);
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.normalDouble(mean, std);
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = this.engine.nextDouble53();
    for (let i = 0; i + 16 <= n; i += 16) normalFill16Double(out, i, mean, std);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = this.engine.nextDouble53();
      normalFill16Double(out, n - 16, mean, std);
    }
    return out;
  }

  // ---------------------------------------------------------------- integers

  /** torch.randint(low, high, (n,)) — int64 values. */
  randint(low: number, high: number, n: number): Float64Array {
    if (!(high > low)) {
      throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    }
    const out = new Float64Array(n);
    const range = high - low;
    if (range < TWO_POW_32) {
      for (let i = 0; i < n; i++) out[i] = (this.engine.nextU32() % range) + low;
    } else {
      const r = BigInt(range);
      const b = BigInt(low);
      for (let i = 0; i < n; i++) out[i] = Number((this.engine.nextU64() % r) + b);
    }
    return out;
  }

  /** torch.randperm(n) — int64 values. */
  randperm(n: number): Float64Array {
    const out = new Float64Array(n);
    if (n < RANDPERM_RANDOM64_FROM) {
      for (let i = 0; i < n; i++) out[i] = i;
      for (let i = 0; i < n - 1; i++) {
        const z = this.engine.nextU32() % (n - i);
        const sav = out[i];
        out[i] = out[z + i];
        out[z + i] = sav;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const z = Number(this.engine.nextU64() % BigInt(i + 1));
        out[i] = out[z];
        out[z] = i;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- bernoulli / dropout

  /** torch.bernoulli(p) for a float32 probability tensor: float32 uniform < p. */
  bernoulli(p: Float32Array): Float32Array {
    const n = p.length;
    const out = new Float32Array(n);
    const eng = this.engine;
    for (let i = 0; i < n; i++) out[i] = (eng.nextU32() & 0xffffff) * 5.9604644775390625e-8 < p[i] ? 1 : 0;
    return out;
  }

  /** torch.bernoulli(p) for a float64 probability tensor: 53-bit double uniform < p. */
  bernoulliDouble(p: Float64Array): Float64Array {
    const out = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = this.engine.nextDouble53() < p[i] ? 1 : 0;
    return out;
  }

  /** tensor.bernoulli_(p) with a Python-float p (non-MKL CPU kernel): double uniform < p. */
  bernoulliScalar(n: number, p: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.engine.nextDouble53() < p ? 1 : 0;
    return out;
  }

  /** What F.dropout(x, p, training=True) multiplies x by: bernoulli_(1 - p) then div_(1 - p). */
  dropoutMask(n: number, p: number): Float32Array {
    if (p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    const out = new Float32Array(n);
    if (p === 0) return out.fill(1);
    if (p === 1) return out;
    const keep = 1 - p;
    const scale = f(1 / f(keep));
    for (let i = 0; i < n; i++) out[i] = this.engine.nextDouble53() < keep ? scale : 0;
    return out;
  }

  // ---------------------------------------------------------------- nn.init

  /** nn.init.kaiming_uniform_(w, a, mode='fan_in', nonlinearity='leaky_relu'). */
  kaimingUniform_(out: Float32Array, fanIn: number, a: number): void {
    const gain = Math.sqrt(2.0 / (1 + a ** 2));
    const std = gain / Math.sqrt(fanIn);
    const bound = Math.sqrt(3.0) * std;
    this.uniform_(out, -bound, bound);
  }

  /** nn.Linear(inFeatures, outFeatures, bias).reset_parameters(): weight (out×in, row-major), then bias. */
  linearInit(inFeatures: number, outFeatures: number, bias: boolean): { weight: Float32Array; bias: Float32Array | null } {
    const weight = new Float32Array(outFeatures * inFeatures);
    this.kaimingUniform_(weight, inFeatures, Math.sqrt(5));
    let b: Float32Array | null = null;
    if (bias) {
      b = new Float32Array(outFeatures);
      const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
      this.uniform_(b, -bound, bound);
    }
    return { weight, bias: b };
  }
}

/** Float32 x * range + from as GCC compiles the uniform kernel (contracted to one FMA). */
function fmaf32(x: number, range: number, from: number): number {
  return fmaf(x, range, from);
}

/** normal_fill_16<double>: the scalar kernel on float64 data. */
function normalFill16Double(data: Float64Array, i: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[i + j];
    const u2 = data[i + j + 8];
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    data[i + j] = radius * Math.cos(theta) * std + mean;
    data[i + j + 8] = radius * Math.sin(theta) * std + mean;
  }
}

export const defaultGenerator = new Generator();
