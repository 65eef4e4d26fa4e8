// Fast path for the AVX2 kernel (the 39 M-normal case) over whole blocks: the same float32
// operation sequence as logAvx/sincosAvx with fused=true, hand-inlined, branch-free and
//    written out for 4 lanes (j..j+3) with the steps interleaved: one lane is a chain of ~25
//    dependent float32 roundings (latency-bound); 4 independent lanes run ~2-3x faster.
//  - u1 = 1 - k·2^-24 = q·2^-24 with integer q in [1, 2^24], so log256_ps's exponent/mantissa
//    split is q·2^-L and L - 24 with L = bit length of q (no float bit casting needed).
//  - FMAs are computed as fround(a*b + c): the product is exact in double, the sum rounds once
//    in double, and a second rounding to float32 can only differ from a true fma when the double
//    sum lands exactly on a float32 tie; the exact reference (boxmuller.ts) handles that case, and the
//    fixtures (sha256 of 3 × 39.2 M values) show the fast path bit-identical to torch.


import * as C from './boxmuller';

// Local copies: a binding read through an import can compile to a getter call (CJS interop),
// which costs ~40x in this loop.
const { SQRTHF, LP0, LP1, LP2, LP3, LP4, LP5, LP6, LP7, LP8, LQ1, LQ2, DP1, DP2, DP3 } = C;
const { SP0, SP1, SP2, CP0, CP1, CP2, FOPI, TWO_PI_F } = C;

const f = Math.fround;
const POW2NEG = new Float64Array(33);
for (let i = 0; i < 33; i++) POW2NEG[i] = 2 ** -i;
const sel = new Float64Array(2);

/** Box–Muller (AVX2 flavour, mean 0, std 1) on blocks data[start..end), end - start multiple of 16. */
export function normalFillAvx2Blocks(data: Float32Array, start: number, end: number): void {
  const pow2neg = POW2NEG;
  const sl = sel;
  for (let b = start; b < end; b += 16) {
    for (let j = b; j < b + 8; j += 4) {
      const q0 = 16777216 - data[j + 0] * 16777216;
      const q1 = 16777216 - data[j + 1] * 16777216;
      const q2 = 16777216 - data[j + 2] * 16777216;
      const q3 = 16777216 - data[j + 3] * 16777216;
      const L0 = 32 - Math.clz32(q0);
      const L1 = 32 - Math.clz32(q1);
      const L2 = 32 - Math.clz32(q2);
      const L3 = 32 - Math.clz32(q3);
      let x0 = q0 * pow2neg[L0];
      let x1 = q1 * pow2neg[L1];
      let x2 = q2 * pow2neg[L2];
      let x3 = q3 * pow2neg[L3];
      let e0 = L0 - 24;
      let e1 = L1 - 24;
      let e2 = L2 - 24;
      let e3 = L3 - 24;
      if (x0 < SQRTHF) { x0 = f(x0 + x0 - 1); e0 -= 1; } else { x0 = f(x0 - 1); }
      if (x1 < SQRTHF) { x1 = f(x1 + x1 - 1); e1 -= 1; } else { x1 = f(x1 - 1); }
      if (x2 < SQRTHF) { x2 = f(x2 + x2 - 1); e2 -= 1; } else { x2 = f(x2 - 1); }
      if (x3 < SQRTHF) { x3 = f(x3 + x3 - 1); e3 -= 1; } else { x3 = f(x3 - 1); }
      let t0 = f(TWO_PI_F * data[j + 0 + 8]);
      let t1 = f(TWO_PI_F * data[j + 1 + 8]);
      let t2 = f(TWO_PI_F * data[j + 2 + 8]);
      let t3 = f(TWO_PI_F * data[j + 3 + 8]);
      const k0 = ((f(t0 * FOPI) | 0) + 1) & ~1;
      const k1 = ((f(t1 * FOPI) | 0) + 1) & ~1;
      const k2 = ((f(t2 * FOPI) | 0) + 1) & ~1;
      const k3 = ((f(t3 * FOPI) | 0) + 1) & ~1;
      const z0 = f(x0 * x0);
      const z1 = f(x1 * x1);
      const z2 = f(x2 * x2);
      const z3 = f(x3 * x3);
      t0 = f(k0 * DP1 + t0);
      t1 = f(k1 * DP1 + t1);
      t2 = f(k2 * DP1 + t2);
      t3 = f(k3 * DP1 + t3);
      let y0 = f(LP0 * x0 + LP1);
      let y1 = f(LP0 * x1 + LP1);
      let y2 = f(LP0 * x2 + LP1);
      let y3 = f(LP0 * x3 + LP1);
      t0 = f(k0 * DP2 + t0);
      t1 = f(k1 * DP2 + t1);
      t2 = f(k2 * DP2 + t2);
      t3 = f(k3 * DP2 + t3);
      y0 = f(y0 * x0 + LP2);
      y1 = f(y1 * x1 + LP2);
      y2 = f(y2 * x2 + LP2);
      y3 = f(y3 * x3 + LP2);
      t0 = f(k0 * DP3 + t0);
      t1 = f(k1 * DP3 + t1);
      t2 = f(k2 * DP3 + t2);
      t3 = f(k3 * DP3 + t3);
      y0 = f(y0 * x0 + LP3);
      y1 = f(y1 * x1 + LP3);
      y2 = f(y2 * x2 + LP3);
      y3 = f(y3 * x3 + LP3);
      const zz0 = f(t0 * t0);
      const zz1 = f(t1 * t1);
      const zz2 = f(t2 * t2);
      const zz3 = f(t3 * t3);
      y0 = f(y0 * x0 + LP4);
      y1 = f(y1 * x1 + LP4);
      y2 = f(y2 * x2 + LP4);
      y3 = f(y3 * x3 + LP4);
      let c0 = f(CP0 * zz0 + CP1);
      let c1 = f(CP0 * zz1 + CP1);
      let c2 = f(CP0 * zz2 + CP1);
      let c3 = f(CP0 * zz3 + CP1);
      let s0 = f(SP0 * zz0 + SP1);
      let s1 = f(SP0 * zz1 + SP1);
      let s2 = f(SP0 * zz2 + SP1);
      let s3 = f(SP0 * zz3 + SP1);
      y0 = f(y0 * x0 + LP5);
      y1 = f(y1 * x1 + LP5);
      y2 = f(y2 * x2 + LP5);
      y3 = f(y3 * x3 + LP5);
      c0 = f(c0 * zz0 + CP2);
      c1 = f(c1 * zz1 + CP2);
      c2 = f(c2 * zz2 + CP2);
      c3 = f(c3 * zz3 + CP2);
      s0 = f(s0 * zz0 + SP2);
      s1 = f(s1 * zz1 + SP2);
      s2 = f(s2 * zz2 + SP2);
      s3 = f(s3 * zz3 + SP2);
      y0 = f(y0 * x0 + LP6);
      y1 = f(y1 * x1 + LP6);
      y2 = f(y2 * x2 + LP6);
      y3 = f(y3 * x3 + LP6);
      c0 = f(c0 * zz0);
      c1 = f(c1 * zz1);
      c2 = f(c2 * zz2);
      c3 = f(c3 * zz3);
      s0 = f(s0 * zz0);
      s1 = f(s1 * zz1);
      s2 = f(s2 * zz2);
      s3 = f(s3 * zz3);
      y0 = f(y0 * x0 + LP7);
      y1 = f(y1 * x1 + LP7);
      y2 = f(y2 * x2 + LP7);
      y3 = f(y3 * x3 + LP7);
      s0 = f(s0 * t0 + t0);
      s1 = f(s1 * t1 + t1);
      s2 = f(s2 * t2 + t2);
      s3 = f(s3 * t3 + t3);
      y0 = f(y0 * x0 + LP8);
      y1 = f(y1 * x1 + LP8);
      y2 = f(y2 * x2 + LP8);
      y3 = f(y3 * x3 + LP8);
      c0 = f(c0 * zz0 - zz0 * 0.5);
      c1 = f(c1 * zz1 - zz1 * 0.5);
      c2 = f(c2 * zz2 - zz2 * 0.5);
      c3 = f(c3 * zz3 - zz3 * 0.5);
      y0 = f(y0 * x0);
      y1 = f(y1 * x1);
      y2 = f(y2 * x2);
      y3 = f(y3 * x3);
      c0 = f(c0 + 1);
      c1 = f(c1 + 1);
      c2 = f(c2 + 1);
      c3 = f(c3 + 1);
      y0 = f(y0 * z0 + f(e0 * LQ1));
      y1 = f(y1 * z1 + f(e1 * LQ1));
      y2 = f(y2 * z2 + f(e2 * LQ1));
      y3 = f(y3 * z3 + f(e3 * LQ1));
      y0 = f(y0 - z0 * 0.5);
      y1 = f(y1 - z1 * 0.5);
      y2 = f(y2 - z2 * 0.5);
      y3 = f(y3 - z3 * 0.5);
      x0 = f(x0 + y0);
      x1 = f(x1 + y1);
      x2 = f(x2 + y2);
      x3 = f(x3 + y3);
      x0 = f(e0 * LQ2 + x0);
      x1 = f(e1 * LQ2 + x1);
      x2 = f(e2 * LQ2 + x2);
      x3 = f(e3 * LQ2 + x3);
      const r0 = f(Math.sqrt(-2 * x0));
      const r1 = f(Math.sqrt(-2 * x1));
      const r2 = f(Math.sqrt(-2 * x2));
      const r3 = f(Math.sqrt(-2 * x3));
      const w0 = (k0 >> 1) & 1;
      sl[w0] = s0;
      sl[w0 ^ 1] = c0;
      const sn0 = 1 - ((k0 & 4) >> 1);
      const cn0 = 1 - (((~(k0 - 2)) & 4) >> 1);
      data[j + 0] = f(r0 * sl[1] * cn0) + 0; // + 0: the fmadd with mean 0 turns -0 into +0
      data[j + 0 + 8] = f(r0 * sl[0] * sn0) + 0;
      const w1 = (k1 >> 1) & 1;
      sl[w1] = s1;
      sl[w1 ^ 1] = c1;
      const sn1 = 1 - ((k1 & 4) >> 1);
      const cn1 = 1 - (((~(k1 - 2)) & 4) >> 1);
      data[j + 1] = f(r1 * sl[1] * cn1) + 0; // + 0: the fmadd with mean 0 turns -0 into +0
      data[j + 1 + 8] = f(r1 * sl[0] * sn1) + 0;
      const w2 = (k2 >> 1) & 1;
      sl[w2] = s2;
      sl[w2 ^ 1] = c2;
      const sn2 = 1 - ((k2 & 4) >> 1);
      const cn2 = 1 - (((~(k2 - 2)) & 4) >> 1);
      data[j + 2] = f(r2 * sl[1] * cn2) + 0; // + 0: the fmadd with mean 0 turns -0 into +0
      data[j + 2 + 8] = f(r2 * sl[0] * sn2) + 0;
      const w3 = (k3 >> 1) & 1;
      sl[w3] = s3;
      sl[w3 ^ 1] = c3;
      const sn3 = 1 - ((k3 & 4) >> 1);
      const cn3 = 1 - (((~(k3 - 2)) & 4) >> 1);
      data[j + 3] = f(r3 * sl[1] * cn3) + 0; // + 0: the fmadd with mean 0 turns -0 into +0
      data[j + 3 + 8] = f(r3 * sl[0] * sn3) + 0;
    }
  }
}
