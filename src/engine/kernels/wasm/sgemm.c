// Single-precision GEMM for WebAssembly SIMD (simd128): C = op(A) · op(B), row-major.
// Built by scripts/build-wasm.sh into sgemm.wasm, which is committed (clang is not needed to build
// the extension). Packing makes both transpose flags free: panels are copied in the order the
// micro-kernel reads them, from either layout.
#include <wasm_simd128.h>

#define MR 4
#define NR 8
#define KC 256
#define MC 128

typedef unsigned long size_t;

// A(i, p) of op(A) where A is m×k (or k×m when transposed).
static inline float a_at(const float *a, int transA, int m, int k, int i, int p) {
  return transA ? a[(size_t)p * m + i] : a[(size_t)i * k + p];
}
static inline float b_at(const float *b, int transB, int k, int n, int p, int j) {
  return transB ? b[(size_t)j * k + p] : b[(size_t)p * n + j];
}

static void pack_b(const float *b, int transB, int k, int n, int p0, int kc, float *bp) {
  for (int j0 = 0; j0 < n; j0 += NR) {
    for (int p = 0; p < kc; p++) {
      for (int jj = 0; jj < NR; jj++) {
        int j = j0 + jj;
        *bp++ = j < n ? b_at(b, transB, k, n, p0 + p, j) : 0.0f;
      }
    }
  }
}

static void pack_a(const float *a, int transA, int m, int k, int i0, int mc, int p0, int kc, float *ap) {
  for (int r0 = 0; r0 < mc; r0 += MR) {
    for (int p = 0; p < kc; p++) {
      for (int rr = 0; rr < MR; rr++) {
        int i = i0 + r0 + rr;
        *ap++ = (r0 + rr < mc) ? a_at(a, transA, m, k, i, p0 + p) : 0.0f;
      }
    }
  }
}

static inline float lane(v128_t v, int i) {
  switch (i) {
    case 0: return wasm_f32x4_extract_lane(v, 0);
    case 1: return wasm_f32x4_extract_lane(v, 1);
    case 2: return wasm_f32x4_extract_lane(v, 2);
    default: return wasm_f32x4_extract_lane(v, 3);
  }
}

// C row (+)= [lo hi], the first `cols` of its 8 values.
static inline void store_row(float *cr, v128_t lo, v128_t hi, int cols, int first) {
  if (cols == NR) {
    if (!first) { lo = wasm_f32x4_add(lo, wasm_v128_load(cr)); hi = wasm_f32x4_add(hi, wasm_v128_load(cr + 4)); }
    wasm_v128_store(cr, lo); wasm_v128_store(cr + 4, hi);
    return;
  }
  for (int j = 0; j < cols; j++) {
    float x = j < 4 ? lane(lo, j) : lane(hi, j - 4);
    cr[j] = first ? x : cr[j] + x;
  }
}

// acc(4×8) = Ap-panel · Bp-panel over kc, then C tile += acc (only the valid rows/cols).
static void micro(const float *ap, const float *bp, int kc, float *c, int ldc, int rows, int cols, int first) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int p = 0; p < kc; p++) {
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t a0 = wasm_v128_load32_splat(ap), a1 = wasm_v128_load32_splat(ap + 1);
    v128_t a2 = wasm_v128_load32_splat(ap + 2), a3 = wasm_v128_load32_splat(ap + 3);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0)); c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a1, b0)); c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a1, b1));
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a2, b0)); c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a2, b1));
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a3, b0)); c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a3, b1));
    ap += MR; bp += NR;
  }
  store_row(c, c00, c01, cols, first);
  if (rows > 1) store_row(c + ldc, c10, c11, cols, first);
  if (rows > 2) store_row(c + 2 * (size_t)ldc, c20, c21, cols, first);
  if (rows > 3) store_row(c + 3 * (size_t)ldc, c30, c31, cols, first);
}

// Rows [row_begin, row_end) of C (a caller may split one product by rows).
// Scratch for packed panels: bp needs KC × round_up(n, NR) floats, ap needs MC × KC floats.
__attribute__((export_name("sgemm")))
void sgemm(const float *a, const float *b, float *c, int m, int k, int n, int transA, int transB, float *ap, float *bp,
           int row_begin, int row_end) {
  if (k == 0) { for (size_t i = (size_t)row_begin * n; i < (size_t)row_end * n; i++) c[i] = 0; return; }
  for (int p0 = 0; p0 < k; p0 += KC) {
    int kc = k - p0 < KC ? k - p0 : KC;
    pack_b(b, transB, k, n, p0, kc, bp);
    for (int i0 = row_begin; i0 < row_end; i0 += MC) {
      int mc = row_end - i0 < MC ? row_end - i0 : MC;
      pack_a(a, transA, m, k, i0, mc, p0, kc, ap);
      for (int r0 = 0; r0 < mc; r0 += MR) {
        const float *apanel = ap + (size_t)r0 * kc;
        int rows = mc - r0 < MR ? mc - r0 : MR;
        for (int j0 = 0; j0 < n; j0 += NR) {
          int cols = n - j0 < NR ? n - j0 : NR;
          micro(apanel, bp + (size_t)j0 * kc, kc, c + (size_t)(i0 + r0) * n + j0, n, rows, cols, p0 == 0);
        }
      }
    }
  }
}
