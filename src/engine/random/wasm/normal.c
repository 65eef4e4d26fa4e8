// torch.randn / normal_ for WebAssembly SIMD (simd128), bit-exact with ../fastnormal.ts and so
// with torch 1.13's AVX2 kernel: MT19937 → float32 uniforms, then normal_fill_16_AVX2's Box–Muller
// (log256_ps / sincos256_ps with GCC's FMA contraction). Built by scripts/build-wasm.sh into
// normal-bytes.ts. The generator state stays in JS; ../wasm-normal.ts copies it in and out.
//
// Every FMA is computed as the JS does it: in double (the product of two floats is exact) and
// rounded once to float32. Hence the polynomials run on f64x2 values that always hold float32
// numbers: rnd() rounds back to float32 after each operation, which for a single + - * sqrt gives
// exactly the float32 result (rnd() is left out only where the double is a float32 for every
// input, and before join(), which rounds). Each 16-element block is 4 independent f64x2 chains.
// test/unit/random-wasm.test.ts checks every one of the 2^24 possible uniforms against the JS.
// wasm-flags: -ffp-contract=off
#include <wasm_simd128.h>

#define MT_N 624
#define MT_M 397

typedef struct {
  unsigned state[MT_N];
  int left; // draws left including the next one; 1 means "twist before the next draw"
  int next;
} Mt;

// ---------------------------------------------------------------- MT19937 → uniform floats

static inline unsigned twist1(unsigned cur, unsigned nxt, unsigned far) {
  unsigned y = (cur & 0x80000000u) | (nxt & 0x7fffffffu);
  return far ^ (y >> 1) ^ ((0u - (y & 1u)) & 0x9908b0dfu);
}

static inline v128_t twist4(v128_t cur, v128_t nxt, v128_t far) {
  v128_t y = wasm_v128_or(wasm_v128_and(cur, wasm_u32x4_splat(0x80000000u)),
                          wasm_v128_and(nxt, wasm_u32x4_splat(0x7fffffffu)));
  v128_t odd = wasm_i32x4_neg(wasm_v128_and(y, wasm_u32x4_splat(1)));
  return wasm_v128_xor(wasm_v128_xor(far, wasm_u32x4_shr(y, 1)),
                       wasm_v128_and(odd, wasm_u32x4_splat(0x9908b0dfu)));
}

// at::mt19937::next_state. Four at a time: every word a vector reads is either untouched yet
// (kk+1.., kk+M) or already final (kk+M-N < kk), exactly as in the one-at-a-time order.
static void twist(Mt *mt) {
  unsigned *st = mt->state;
  int kk = 0;
  for (; kk + 4 <= MT_N - MT_M; kk += 4) {
    v128_t v = twist4(wasm_v128_load(st + kk), wasm_v128_load(st + kk + 1), wasm_v128_load(st + kk + MT_M));
    wasm_v128_store(st + kk, v);
  }
  for (; kk < MT_N - MT_M; kk++) st[kk] = twist1(st[kk], st[kk + 1], st[kk + MT_M]);
  for (; kk + 4 <= MT_N - 1; kk += 4) {
    v128_t v = twist4(wasm_v128_load(st + kk), wasm_v128_load(st + kk + 1), wasm_v128_load(st + kk + MT_M - MT_N));
    wasm_v128_store(st + kk, v);
  }
  for (; kk < MT_N - 1; kk++) st[kk] = twist1(st[kk], st[kk + 1], st[kk + MT_M - MT_N]);
  st[MT_N - 1] = twist1(st[MT_N - 1], st[0], st[MT_M - 1]);
  mt->left = MT_N;
  mt->next = 0;
}

static inline v128_t temper_uniform4(v128_t y) {
  y = wasm_v128_xor(y, wasm_u32x4_shr(y, 11));
  y = wasm_v128_xor(y, wasm_v128_and(wasm_i32x4_shl(y, 7), wasm_u32x4_splat(0x9d2c5680u)));
  y = wasm_v128_xor(y, wasm_v128_and(wasm_i32x4_shl(y, 15), wasm_u32x4_splat(0xefc60000u)));
  y = wasm_v128_xor(y, wasm_u32x4_shr(y, 18));
  v128_t bits24 = wasm_v128_and(y, wasm_u32x4_splat(0xffffff));
  return wasm_f32x4_mul(wasm_f32x4_convert_i32x4(bits24), wasm_f32x4_splat(5.9604644775390625e-8f));
}

/** n draws as (draw & 0xffffff) · 2^-24 into out[0..n): MT19937::fillUniform24. */
__attribute__((export_name("fill_uniform")))
void fill_uniform(Mt *mt, float *out, int n) {
  int i = 0;
  while (i < n) {
    if (--mt->left == 0) twist(mt);
    int take = n - i < mt->left ? n - i : mt->left;
    const unsigned *src = mt->state + mt->next;
    int k = 0;
    for (; k + 4 <= take; k += 4) wasm_v128_store(out + i + k, temper_uniform4(wasm_v128_load(src + k)));
    for (; k < take; k++) {
      v128_t one = temper_uniform4(wasm_u32x4_splat(src[k]));
      out[i + k] = wasm_f32x4_extract_lane(one, 0);
    }
    i += take;
    mt->next += take;
    mt->left -= take - 1;
  }
}

// ---------------------------------------------------------------- Box–Muller (AVX2 flavour)

// The constants exactly as boxmuller.ts makes them: Math.fround of the double literal.
#define F(x) ((float)(x))
#define SQRTHF F(0.7071067811865476)
#define LP0 F(7.0376836292e-2)
#define LP1 F(-1.1514610310e-1)
#define LP2 F(1.1676998740e-1)
#define LP3 F(-1.2420140846e-1)
#define LP4 F(1.4249322787e-1)
#define LP5 F(-1.6668057665e-1)
#define LP6 F(2.0000714765e-1)
#define LP7 F(-2.4999993993e-1)
#define LP8 F(3.3333331174e-1)
#define LQ1 F(-2.12194440e-4)
#define LQ2 F(0.693359375)
#define DP1 F(-0.78515625)
#define DP2 F(-2.4187564849853515625e-4)
#define DP3 F(-3.774894977445941e-8)
#define SP0 F(-1.9515295891e-4)
#define SP1 F(8.3321608736e-3)
#define SP2 F(-1.6666654611e-1)
#define CP0 F(2.443315711809948e-5)
#define CP1 F(-1.388731625493765e-3)
#define CP2 F(4.166664568298827e-2)
#define FOPI F(1.27323954473516)
#define TWO_PI_F F(2 * 3.141592653589793)

typedef v128_t d2; // f64x2 holding float32 values
#define LANES 4    // f64x2 chains per block of 16: elements j and j+8 for j = 0..7

static inline d2 rnd(d2 v) {
  v128_t f = wasm_f32x4_demote_f64x2_zero(v);
  __asm__("" : "+r"(f)); // else LLVM merges the pair into scalar f32.demote/f64.promote per lane
  return wasm_f64x2_promote_low_f32x4(f);
}
static inline d2 dsplat(float c) { return wasm_f64x2_splat((double)c); }
static inline d2 mul(d2 a, d2 b) { return wasm_f64x2_mul(a, b); }
static inline d2 add(d2 a, d2 b) { return wasm_f64x2_add(a, b); }
static inline d2 sub(d2 a, d2 b) { return wasm_f64x2_sub(a, b); }
/** float32 fma(a, b, c) as the JS fast path computes it: fround(a * b + c). */
static inline d2 fma_(d2 a, d2 b, d2 c) { return rnd(add(mul(a, b), c)); }
static inline d2 lo(v128_t f4) { return wasm_f64x2_promote_low_f32x4(f4); }
static inline d2 hi(v128_t f4) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(f4, f4, 2, 3, 2, 3)); }
static inline v128_t join(d2 l, d2 h) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(l), wasm_f32x4_demote_f64x2_zero(h), 0, 1, 4, 5);
}

/** log256_ps's exponent/mantissa split of u1 = 1 - u (u1 in [2^-24, 1], always normal). */
static inline void log_split(v128_t u, v128_t *x, v128_t *e) {
  v128_t u1 = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), u);
  v128_t imm0 = wasm_i32x4_sub(wasm_u32x4_shr(u1, 23), wasm_i32x4_splat(0x7f));
  v128_t m = wasm_v128_or(wasm_v128_and(u1, wasm_u32x4_splat(0x807fffffu)), wasm_u32x4_splat(0x3f000000u));
  v128_t small = wasm_f32x4_lt(m, wasm_f32x4_splat(SQRTHF));
  v128_t ef = wasm_f32x4_convert_i32x4(wasm_i32x4_add(imm0, wasm_i32x4_splat(1)));
  *e = wasm_f32x4_sub(ef, wasm_v128_and(small, wasm_f32x4_splat(1.0f)));
  *x = wasm_f32x4_add(wasm_f32x4_sub(m, wasm_f32x4_splat(1.0f)), wasm_v128_and(small, m)); // exact
}

/** sqrt(-2 · log256_ps(u1)) on one chain, given z = x·x and e·LQ1 (float32 products); not yet
 *  rounded to float32 (join() does that). */
static inline d2 radius(d2 x, d2 z, d2 e, d2 e_lq1) {
  d2 y = fma_(dsplat(LP0), x, dsplat(LP1));
  y = fma_(y, x, dsplat(LP2));
  y = fma_(y, x, dsplat(LP3));
  y = fma_(y, x, dsplat(LP4));
  y = fma_(y, x, dsplat(LP5));
  y = fma_(y, x, dsplat(LP6));
  y = fma_(y, x, dsplat(LP7));
  y = fma_(y, x, dsplat(LP8));
  y = rnd(mul(y, x));
  y = fma_(y, z, e_lq1);
  y = rnd(sub(y, mul(z, wasm_f64x2_splat(0.5))));
  x = rnd(add(x, y));
  x = fma_(e, dsplat(LQ2), x);
  return wasm_f64x2_sqrt(mul(wasm_f64x2_splat(-2.0), x));
}

/** sincos256_ps's polynomials on one chain: t reduced by the octant k, then cos and sin (not yet
 *  rounded to float32). */
static inline void sincos_poly(d2 t, d2 k, d2 *cos_out, d2 *sin_out) {
  // Cody–Waite: the first two steps are exact in float32 (checked for every input), so no rnd()
  t = add(mul(k, dsplat(DP1)), t);
  t = add(mul(k, dsplat(DP2)), t);
  t = fma_(k, dsplat(DP3), t);
  d2 z = rnd(mul(t, t));
  d2 c = fma_(dsplat(CP0), z, dsplat(CP1));
  c = fma_(c, z, dsplat(CP2));
  c = rnd(mul(c, z));
  c = rnd(sub(mul(c, z), mul(z, wasm_f64x2_splat(0.5))));
  *cos_out = add(c, wasm_f64x2_splat(1.0));
  d2 s = fma_(dsplat(SP0), z, dsplat(SP1));
  s = fma_(s, z, dsplat(SP2));
  s = rnd(mul(s, z));
  *sin_out = add(mul(s, t), t);
}

/** One block of 16: p[j] ← r·cos θ, p[j+8] ← r·sin θ, r from u1 = 1 - p[j], θ = 2π·p[j+8]. */
static inline void block16(float *p) {
  v128_t x4[2], e4[2], z4[2], el4[2], t4[2], k4[2];
  _Pragma("clang loop unroll(full)") for (int h = 0; h < 2; h++) {
    log_split(wasm_v128_load(p + 4 * h), &x4[h], &e4[h]);
    z4[h] = wasm_f32x4_mul(x4[h], x4[h]);
    el4[h] = wasm_f32x4_mul(e4[h], wasm_f32x4_splat(LQ1));
    t4[h] = wasm_f32x4_mul(wasm_f32x4_splat(TWO_PI_F), wasm_v128_load(p + 8 + 4 * h));
    v128_t k = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(t4[h], wasm_f32x4_splat(FOPI)));
    k4[h] = wasm_v128_and(wasm_i32x4_add(k, wasm_i32x4_splat(1)), wasm_i32x4_splat(~1));
  }
  d2 r[LANES], c[LANES], s[LANES];
  _Pragma("clang loop unroll(full)") for (int l = 0; l < LANES; l++) {
    v128_t x = x4[l >> 1], z = z4[l >> 1], e = e4[l >> 1], el = el4[l >> 1];
    r[l] = (l & 1) ? radius(hi(x), hi(z), hi(e), hi(el)) : radius(lo(x), lo(z), lo(e), lo(el));
  }
  _Pragma("clang loop unroll(full)") for (int l = 0; l < LANES; l++) {
    v128_t t = t4[l >> 1], k = k4[l >> 1];
    d2 kd = wasm_f64x2_convert_low_i32x4((l & 1) ? wasm_i32x4_shuffle(k, k, 2, 3, 2, 3) : k);
    sincos_poly((l & 1) ? hi(t) : lo(t), kd, &c[l], &s[l]);
  }
  _Pragma("clang loop unroll(full)") for (int h = 0; h < 2; h++) {
    v128_t k = k4[h];
    v128_t rr = join(r[2 * h], r[2 * h + 1]);
    v128_t cc = join(c[2 * h], c[2 * h + 1]);
    v128_t ss = join(s[2 * h], s[2 * h + 1]);
    v128_t sin_poly = wasm_i32x4_eq(wasm_v128_and(k, wasm_i32x4_splat(2)), wasm_i32x4_splat(0));
    v128_t sn = wasm_v128_bitselect(ss, cc, sin_poly);
    v128_t cs = wasm_v128_bitselect(cc, ss, sin_poly);
    v128_t sin_sign = wasm_i32x4_shl(wasm_v128_and(k, wasm_i32x4_splat(4)), 29);
    v128_t cos_sign = wasm_i32x4_shl(wasm_v128_andnot(wasm_i32x4_splat(4), wasm_i32x4_sub(k, wasm_i32x4_splat(2))), 29);
    // + 0: torch's fmadd(n, 1, +0) turns -0 into +0
    v128_t zero = wasm_f32x4_splat(0.0f);
    wasm_v128_store(p + 4 * h, wasm_f32x4_add(wasm_v128_xor(wasm_f32x4_mul(rr, cs), cos_sign), zero));
    wasm_v128_store(p + 8 + 4 * h, wasm_f32x4_add(wasm_v128_xor(wasm_f32x4_mul(rr, sn), sin_sign), zero));
  }
}

/** normalFillAvx2Blocks on data[0..n), n a multiple of 16 (uniforms in, normals out). */
__attribute__((export_name("normal_blocks")))
void normal_blocks(float *data, int n) {
  for (int b = 0; b < n; b += 16) block16(data + b);
}

// ---------------------------------------------------------------- fmadd(x, std, mean)

/** Correctly rounded float32 fma(a, b, c) on one chain: boxmuller.ts fmaf, branch-free. */
static inline d2 fma_exact(d2 a, d2 b, d2 c) {
  d2 p = mul(a, b); // exact
  d2 s = add(p, c);
  d2 r = rnd(s);
  d2 bb = sub(s, p);
  d2 err = add(sub(p, sub(s, bb)), sub(c, bb)); // TwoSum: s + err = p + c exactly
  d2 d = sub(s, r);
  d2 other = add(r, mul(d, wasm_f64x2_splat(2.0))); // the float on the other side of a tie
  d2 zero = wasm_f64x2_splat(0.0);
  v128_t tie = wasm_f64x2_eq(rnd(other), other);
  v128_t same_side = wasm_v128_not(wasm_v128_xor(wasm_f64x2_gt(err, zero), wasm_f64x2_gt(d, zero)));
  v128_t use_other = wasm_v128_and(wasm_v128_and(wasm_f64x2_ne(err, zero), wasm_f64x2_ne(d, zero)),
                                   wasm_v128_and(tie, same_side));
  return wasm_v128_bitselect(other, r, use_other);
}

/** data[i] ← fmaf(data[i], std, mean) (_mm256_fmadd_ps) for i < n rounded up to a multiple of 4. */
__attribute__((export_name("fmadd")))
void fmadd(float *data, int n, float std, float mean) {
  d2 sd = dsplat(std), md = dsplat(mean);
  for (int i = 0; i < n; i += 4) {
    v128_t v = wasm_v128_load(data + i);
    wasm_v128_store(data + i, join(fma_exact(lo(v), sd, md), fma_exact(hi(v), sd, md)));
  }
}
