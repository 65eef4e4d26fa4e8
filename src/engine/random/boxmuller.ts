// PyTorch's float32 `normal_fill` (tensors of >= 16 contiguous elements): uniforms already in
// `data`, Box–Muller on element j and j+8 of every block of 16.
//
// Two variants, because torch picks one at run time by CPU capability:
//  - 'avx2'   (x86 with AVX2: normal_fill_16_AVX2, log256_ps / sincos256_ps from avx_mathfun.h,
//              Cephes float32 polynomials; GCC -O2 -mfma contracts their mul+add pairs into
//              FMAs — which side of each pair is fused was found against torch's output)
//  - 'default' (other CPUs, or ATEN_CPU_CAPABILITY=default: scalar logf / cosf / sinf).
// Every float32 operation is emulated with Math.fround (double rounding of a single + - * / sqrt
// is harmless for float32 operands); fused multiply-adds use fmaf() below.

const f = Math.fround;

/** Correctly rounded float32 fma(a, b, c) for float32 inputs. */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 bits fit in a double
  const s = p + c;
  const r = f(s);
  // exact error of s (TwoSum); only matters when s sits exactly on a float32 rounding tie
  const bb = s - p;
  const e = (p - (s - bb)) + (c - bb);
  if (e === 0) return r;
  const d = s - r;
  if (d === 0) return r;
  const other = r + 2 * d;
  if (f(other) !== other) return r; // not a tie
  return (e > 0) === (d > 0) ? other : r;
}

// ---- avx_mathfun constants (as float32; exported for the unrolled kernel in fastnormal.ts) ----
const MIN_NORM = 1.1754943508222875e-38;
export const SQRTHF = f(0.7071067811865476);
export const LP0 = f(7.0376836292e-2), LP1 = f(-1.1514610310e-1), LP2 = f(1.1676998740e-1);
export const LP3 = f(-1.2420140846e-1), LP4 = f(1.4249322787e-1), LP5 = f(-1.6668057665e-1);
export const LP6 = f(2.0000714765e-1), LP7 = f(-2.4999993993e-1), LP8 = f(3.3333331174e-1);
export const LQ1 = f(-2.12194440e-4), LQ2 = f(0.693359375);
export const DP1 = f(-0.78515625), DP2 = f(-2.4187564849853515625e-4), DP3 = f(-3.774894977445941e-8);
export const SP0 = f(-1.9515295891e-4), SP1 = f(8.3321608736e-3), SP2 = f(-1.6666654611e-1);
export const CP0 = f(2.443315711809948e-5), CP1 = f(-1.388731625493765e-3), CP2 = f(4.166664568298827e-2);
export const FOPI = f(1.27323954473516);
export const TWO_PI_F = f(2 * Math.PI);

const cvtBuf = new DataView(new ArrayBuffer(4));

/** log256_ps for one lane, x in (0, 1]. `fused` selects FMA contraction of mul+add pairs. */
export function logAvx(xIn: number, fused: boolean): number {
  let x = xIn < MIN_NORM ? MIN_NORM : xIn;
  cvtBuf.setFloat32(0, x, true);
  const bits = cvtBuf.getUint32(0, true);
  const imm0 = (bits >>> 23) - 0x7f;
  cvtBuf.setUint32(0, (bits & 0x807fffff) | 0x3f000000, true);
  x = cvtBuf.getFloat32(0, true);
  let e = f(imm0 + 1);
  let tmp = 0;
  if (x < SQRTHF) { tmp = x; e = f(e - 1); }
  x = f(f(x - 1) + tmp);
  const z = f(x * x);
  let y: number;
  if (fused) {
    y = fmaf(LP0, x, LP1);
    y = fmaf(y, x, LP2); y = fmaf(y, x, LP3); y = fmaf(y, x, LP4); y = fmaf(y, x, LP5);
    y = fmaf(y, x, LP6); y = fmaf(y, x, LP7); y = fmaf(y, x, LP8);
    y = f(y * x);
    // GCC contracts y*z + e*LQ1 with y*z as the fused product (e*LQ1 rounded on its own)
    y = fmaf(y, z, f(e * LQ1));
    y = f(y - z * 0.5);
    x = f(x + y);
    x = fmaf(e, LQ2, x);
  } else {
    y = f(f(LP0 * x) + LP1);
    y = f(f(y * x) + LP2); y = f(f(y * x) + LP3); y = f(f(y * x) + LP4); y = f(f(y * x) + LP5);
    y = f(f(y * x) + LP6); y = f(f(y * x) + LP7); y = f(f(y * x) + LP8);
    y = f(y * x);
    y = f(y * z);
    y = f(y + f(e * LQ1));
    y = f(y - f(z * 0.5));
    x = f(x + y);
    x = f(x + f(e * LQ2));
  }
  return x;
}

/** sincos256_ps for one lane, x >= 0. Writes [sin, cos] into out. */
export function sincosAvx(xIn: number, fused: boolean, out: Float64Array): void {
  let x = xIn;
  let y = f(x * FOPI);
  let j = (Math.trunc(y) + 1) & ~1;
  y = j;
  const swapSin = (j & 4) !== 0;
  const polySin = (j & 2) === 0;
  if (fused) {
    x = fmaf(y, DP1, x); x = fmaf(y, DP2, x); x = fmaf(y, DP3, x);
  } else {
    x = f(x + f(y * DP1)); x = f(x + f(y * DP2)); x = f(x + f(y * DP3));
  }
  j = (~(j - 2)) & 4;
  const negCos = j !== 0;
  const z = f(x * x);
  let c: number, s: number;
  if (fused) {
    c = fmaf(CP0, z, CP1); c = fmaf(c, z, CP2);
    c = f(c * z);
    c = fmaf(c, z, -(z * 0.5)); // likewise: (c*z) - z*0.5 fused on the c*z side
    c = f(c + 1);
    s = fmaf(SP0, z, SP1); s = fmaf(s, z, SP2);
    s = f(s * z);
    s = fmaf(s, x, x);
  } else {
    c = f(f(CP0 * z) + CP1); c = f(f(c * z) + CP2);
    c = f(c * z); c = f(c * z);
    c = f(c - f(z * 0.5));
    c = f(c + 1);
    s = f(f(SP0 * z) + SP1); s = f(f(s * z) + SP2);
    s = f(s * z);
    s = f(f(s * x) + x);
  }
  let sv = polySin ? s : c;
  let cv = polySin ? c : s;
  if (swapSin) sv = -sv;
  if (negCos) cv = -cv;
  out[0] = sv;
  out[1] = cv;
}

export type Capability = 'avx2' | 'avx2-nofma' | 'default';

const sc = new Float64Array(2);

/** normal_fill_16 on data[i..i+16) in place. */
export function normalFill16(data: Float32Array, i: number, mean: number, std: number, cap: Capability): void {
  const meanF = f(mean);
  const stdF = f(std);
  const plain = meanF === 0 && stdF === 1;
  if (cap === 'default') {
    for (let j = 0; j < 8; j++) {
      const u1 = f(1 - data[i + j]);
      const u2 = data[i + j + 8];
      const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
      const theta = f(2 * Math.PI * u2);
      data[i + j] = f(f(f(radius * f(Math.cos(theta))) * stdF) + meanF);
      data[i + j + 8] = f(f(f(radius * f(Math.sin(theta))) * stdF) + meanF);
    }
    return;
  }
  const fused = cap === 'avx2';
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - data[i + j]);
    const u2 = data[i + j + 8];
    const radius = f(Math.sqrt(f(-2 * logAvx(u1, fused))));
    const theta = f(TWO_PI_F * u2);
    sincosAvx(theta, fused, sc);
    const n1 = f(radius * sc[1]);
    const n2 = f(radius * sc[0]);
    if (plain) {
      data[i + j] = n1 + 0; // fmadd(n, 1, +0) maps -0 to +0
      data[i + j + 8] = n2 + 0;
    } else {
      data[i + j] = fmaf(n1, stdF, meanF);
      data[i + j + 8] = fmaf(n2, stdF, meanF);
    }
  }
}
