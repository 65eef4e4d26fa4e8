// Single-precision GEMM for x86-64 with AVX2 and FMA: C = op(A) · op(B), row-major, read and
// written in place in the engine's typed arrays (no copies in or out, unlike the wasm module).
// 256-bit vectors do twice the work of wasm's 128-bit ones per instruction; on this kind of CPU
// that is what separates the wasm kernel from OpenBLAS. Built by esbuild.js into a Node-API addon
// (addon.c) on x86-64 Linux with a C compiler; elsewhere the engine uses the wasm kernel. The kernel functions alone are compiled for AVX2 (target attribute), so
// the addon loads on any x86-64 and refuses, at load, a CPU without AVX2 and FMA.
//
// The usual blocking, but for A: a KC-deep slice of B packed in panels of NR columns (which makes
// its transpose flag free), MC-row blocks of A read in place (see micro), and a micro-kernel that
// keeps an MR × NR tile of C in registers. A transposed A with few rows is packed too, and the
// last ≤ DOT_COLS columns of C are dot products over the depth (micro_dot).
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include "sgemm.h"

#define MR 6
#define NR 16
// The deepest slice of the depth: long, so that each row of A is read in long runs; less where A
// is read transposed (a column of A is then KC lines, which should stay in the L1 cache).
#define KC 800
#define KC_TRANSPOSED 256
#define MC 120
// Last columns of a product that are this few (n = 50: 2) are dot products, not a 16-wide tile.
#define DOT_COLS 4
/** Multiply-adds (m·k·n) from which a product is split between two threads (as the wasm kernel). */
#define SPLIT_WORK (1 << 21)
#define AVX2 __attribute__((target("avx2,fma")))

static inline float b_at(const float *b, int transB, int k, int n, int p, int j) {
  return transB ? b[(size_t)j * k + p] : b[(size_t)p * n + j];
}

// Packed B: for each panel of NR columns, kc rows of NR floats (zeros past col_end).
AVX2 static void pack_b(const float *b, int transB, int k, int n, int p0, int kc, int col_begin, int col_end, float *bp) {
  int full_end = col_begin + (col_end - col_begin) / NR * NR;
  if (!transB) { // row after row of B, so that a big B streams from memory
    for (int p = 0; p < kc; p++) {
      const float *src = b + (size_t)(p0 + p) * n;
      for (int j0 = col_begin; j0 < full_end; j0 += NR) {
        float *dst = bp + (size_t)(j0 - col_begin) * kc + p * NR;
        _mm256_store_ps(dst, _mm256_loadu_ps(src + j0));
        _mm256_store_ps(dst + 8, _mm256_loadu_ps(src + j0 + 8));
      }
    }
  }
  for (int j0 = transB ? col_begin : full_end; j0 < col_end; j0 += NR) {
    int cols = col_end - j0 < NR ? col_end - j0 : NR;
    float *dst = bp + (size_t)(j0 - col_begin) * kc;
    for (int jj = 0; jj < NR; jj++)
      for (int p = 0; p < kc; p++) dst[p * NR + jj] = jj < cols ? b_at(b, transB, k, n, p0 + p, j0 + jj) : 0.0f;
  }
}

// Packed A, for a transposed A with few rows (g.T as the turned x.T @ g's A): read in place, each
// step of the depth would fetch its MR floats from another cache line. Panels of MR rows, each kc
// steps of MR floats (A(i, p) at ap[i / MR · MR · kc + p · MR + i % MR]; rows past mc are zeros).
static void pack_a_transposed(const float *a, size_t cs, int mc, int kc, float *ap) {
  for (int r0 = 0; r0 < mc; r0 += MR, ap += (size_t)MR * kc)
    for (int p = 0; p < kc; p++)
      for (int r = 0; r < MR; r++) ap[p * MR + r] = r0 + r < mc ? a[p * cs + r0 + r] : 0.0f;
}

// The last columns of B, for micro_dot: each column's kc values one after another (bt[j·kc + p]).
static void pack_b_columns(const float *b, int transB, int k, int n, int p0, int kc, int col_begin, int col_end, float *bt) {
  for (int j = col_begin; j < col_end; j++, bt += kc)
    for (int p = 0; p < kc; p++) bt[p] = b_at(b, transB, k, n, p0 + p, j);
}

// C row (+)= [lo hi], only its first `cols` columns (through a buffer: AVX2's masked stores are
// microcoded and slow on AMD's cores).
AVX2 static inline void store_row(float *cr, __m256 lo, __m256 hi, int cols, int first) {
  if (cols == NR) {
    if (!first) { lo = _mm256_add_ps(lo, _mm256_loadu_ps(cr)); hi = _mm256_add_ps(hi, _mm256_loadu_ps(cr + 8)); }
    _mm256_storeu_ps(cr, lo); _mm256_storeu_ps(cr + 8, hi);
    return;
  }
  float edge[NR] __attribute__((aligned(32)));
  _mm256_store_ps(edge, lo); _mm256_store_ps(edge + 8, hi);
  for (int j = 0; j < cols; j++) cr[j] = first ? edge[j] : cr[j] + edge[j];
}

// acc(MR×NR) = A's rows · B panel over kc, then the tile's valid rows/cols of C (+)= acc. A is
// read in place, A(i, p) at a[i·rs + p·cs] (rs = k, cs = 1; transposed rs = 1, cs = m): packing it
// cost a quarter of x @ w1's time, and its rows (or, transposed, its few columns) stream well.
// Rows past `rows` read row 0 again (their sums are not stored).
#define ROW(r) \
  a = _mm256_broadcast_ss(a##r + off); \
  c##r##0 = _mm256_fmadd_ps(a, b0, c##r##0); c##r##1 = _mm256_fmadd_ps(a, b1, c##r##1);
AVX2 static inline void micro(const float *a, size_t rs, size_t cs, const float *bp, int kc, float *c, size_t ldc, int rows, int cols, int first) {
  const float *a0 = a, *a1 = rows > 1 ? a + rs : a, *a2 = rows > 2 ? a + 2 * rs : a;
  const float *a3 = rows > 3 ? a + 3 * rs : a, *a4 = rows > 4 ? a + 4 * rs : a, *a5 = rows > 5 ? a + 5 * rs : a;
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  size_t off = 0;
  for (int p = 0; p < kc; p++, off += cs, bp += NR) {
    __m256 b0 = _mm256_load_ps(bp), b1 = _mm256_load_ps(bp + 8), a;
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
  }
  store_row(c, c00, c01, cols, first);
  if (rows > 1) store_row(c + ldc, c10, c11, cols, first);
  if (rows > 2) store_row(c + 2 * ldc, c20, c21, cols, first);
  if (rows > 3) store_row(c + 3 * ldc, c30, c31, cols, first);
  if (rows > 4) store_row(c + 4 * ldc, c40, c41, cols, first);
  if (rows > 5) store_row(c + 5 * ldc, c50, c51, cols, first);
}

AVX2 static inline float sum_lanes(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

// C's last few columns (+)= A's rows (in place, cs = 1) · those columns of B (pack_b_columns), two
// columns at a time, each element a dot product 8 steps of the depth at once: a 6 × 16 tile for
// n = 50's last 2 columns did 8 times the work they need.
#define DOT_ROW(r) \
  a = _mm256_loadu_ps(a##r + p); d##r##0 = _mm256_fmadd_ps(a, b0, d##r##0); d##r##1 = _mm256_fmadd_ps(a, b1, d##r##1);
AVX2 static void micro_dot(const float *a, size_t rs, const float *bt, int kc, float *c, size_t ldc, int rows, int cols, int first) {
  const float *a0 = a, *a1 = rows > 1 ? a + rs : a, *a2 = rows > 2 ? a + 2 * rs : a;
  const float *a3 = rows > 3 ? a + 3 * rs : a, *a4 = rows > 4 ? a + 4 * rs : a, *a5 = rows > 5 ? a + 5 * rs : a;
  for (int j = 0; j < cols; j += 2, bt += 2 * (size_t)kc) {
    const float *bt0 = bt, *bt1 = j + 1 < cols ? bt + kc : bt;
    __m256 d00 = _mm256_setzero_ps(), d01 = d00, d10 = d00, d11 = d00, d20 = d00, d21 = d00;
    __m256 d30 = d00, d31 = d00, d40 = d00, d41 = d00, d50 = d00, d51 = d00;
    int p = 0;
    for (; p + 8 <= kc; p += 8) {
      __m256 b0 = _mm256_loadu_ps(bt0 + p), b1 = _mm256_loadu_ps(bt1 + p), a;
      DOT_ROW(0) DOT_ROW(1) DOT_ROW(2) DOT_ROW(3) DOT_ROW(4) DOT_ROW(5)
    }
    const float *ar[MR] = { a0, a1, a2, a3, a4, a5 };
    const __m256 d[MR][2] = { { d00, d01 }, { d10, d11 }, { d20, d21 }, { d30, d31 }, { d40, d41 }, { d50, d51 } };
    for (int r = 0; r < rows; r++) {
      for (int jj = 0; jj < 2 && j + jj < cols; jj++) {
        const float *col = jj ? bt1 : bt0;
        float sum = sum_lanes(d[r][jj]);
        for (int q = p; q < kc; q++) sum += ar[r][q] * col[q];
        float *cr = c + (size_t)r * ldc + j + jj;
        *cr = first ? sum : *cr + sum;
      }
    }
  }
}

// The A rows of a row panel into the cache, while the panel before it computes: the first pass
// over a block reads A from memory in runs too short for the hardware prefetcher.
AVX2 static inline void prefetch_panel(const float *a, size_t rs, size_t cs, int rows, int kc) {
  if (cs == 1) {
    for (int r = 0; r < rows; r++)
      for (int p = 0; p < kc; p += 16) __builtin_prefetch(a + r * rs + p);
    return;
  }
  for (int p = 0; p < kc; p++) { __builtin_prefetch(a + p * cs); __builtin_prefetch(a + p * cs + rows - 1); }
}

// C block (mc × ncols) (+)= A block (mc × kc, in place) · packed B (kc × ncols): each row panel
// stays in the L1 cache while every B panel (in L2) passes it, and the next row panel is fetched
// meanwhile (a packed A is in the cache already); C is written row after row. (B panels outside,
// the textbook order, made g @ w.T write C in 16-column strips down the rows: 50 → 85 ms.) Row
// panel r0 starts at a + r0 · ps: ps is rs for A in place, kc for a packed A.
AVX2 __attribute__((noinline)) static void macro(const float *a, size_t rs, size_t cs, size_t ps, const float *bp, int kc, float *c, size_t ldc, int mc, int ncols, int dot_edge, int first) {
  for (int r0 = 0; r0 < mc; r0 += MR) {
    int rows = mc - r0 < MR ? mc - r0 : MR;
    if (r0 + MR < mc && ps == rs) prefetch_panel(a + (r0 + MR) * rs, rs, cs, mc - r0 - MR < MR ? mc - r0 - MR : MR, kc);
    for (int j0 = 0; j0 < ncols; j0 += NR) {
      int cols = ncols - j0 < NR ? ncols - j0 : NR;
      if (cols < NR && dot_edge) { micro_dot(a + r0 * ps, rs, bp + (size_t)j0 * kc, kc, c + (size_t)r0 * ldc + j0, ldc, rows, cols, first); continue; }
      micro(a + r0 * ps, rs, cs, bp + (size_t)j0 * kc, kc, c + (size_t)r0 * ldc + j0, ldc, rows, cols, first);
    }
  }
}

typedef struct {
  const float *a, *b;
  float *c;
  int m, k, n, transA, transB;
  int row_begin, row_end, col_begin, col_end;
  int pack_a; // a transposed A of ≤ MC rows in all: decided for the whole product, so both halves agree
  int failed;
} block_t;

// The rows [row_begin, row_end) × columns [col_begin, col_end) of C; the rest is not touched.
AVX2 static void *run_block(void *arg) {
  block_t *job = arg;
  const int m = job->m, k = job->k, n = job->n, cols = job->col_end - job->col_begin;
  if (job->row_end <= job->row_begin || cols <= 0) return NULL;
  if (k == 0) {
    for (int i = job->row_begin; i < job->row_end; i++)
      for (int j = job->col_begin; j < job->col_end; j++) job->c[(size_t)i * n + j] = 0;
    return NULL;
  }
  float *bp = aligned_alloc(64, sizeof(float) * KC * (size_t)((cols + NR - 1) / NR * NR));
  if (!bp) { job->failed = 1; return NULL; }
  const size_t rs = job->transA ? 1 : (size_t)k, cs = job->transA ? (size_t)m : 1;
  // The depth in equal panels of at most KC (1000 = 2 × 500, not 800 + 200).
  const int rows = job->row_end - job->row_begin, pack_a = job->pack_a;
  int kc_max = job->transA && !pack_a ? KC_TRANSPOSED : KC;
  int panels = (k + kc_max - 1) / kc_max, step = (k + panels - 1) / panels;
  float *ap = pack_a ? aligned_alloc(64, sizeof(float) * (size_t)kc_max * ((rows + MR - 1) / MR * MR)) : NULL;
  if (pack_a && !ap) { free(bp); job->failed = 1; return NULL; }
  const int edge = cols % NR, dot_edge = !job->transA && edge <= DOT_COLS;
  for (int p0 = 0; p0 < k; p0 += step) {
    int kc = k - p0 < step ? k - p0 : step;
    if (dot_edge && edge) {
      pack_b(job->b, job->transB, k, n, p0, kc, job->col_begin, job->col_end - edge, bp);
      pack_b_columns(job->b, job->transB, k, n, p0, kc, job->col_end - edge, job->col_end, bp + (size_t)(cols - edge) * kc);
    } else {
      pack_b(job->b, job->transB, k, n, p0, kc, job->col_begin, job->col_end, bp);
    }
    if (pack_a) {
      pack_a_transposed(job->a + job->row_begin + (size_t)p0 * cs, cs, rows, kc, ap);
      macro(ap, 1, MR, kc, bp, kc, job->c + (size_t)job->row_begin * n + job->col_begin, n, rows, cols, 0, p0 == 0);
      continue;
    }
    for (int i0 = job->row_begin; i0 < job->row_end; i0 += MC) {
      int mc = job->row_end - i0 < MC ? job->row_end - i0 : MC;
      macro(job->a + i0 * rs + p0 * cs, rs, cs, rs, bp, kc, job->c + (size_t)i0 * n + job->col_begin, n, mc, cols, dot_edge, p0 == 0);
    }
  }
  free(ap);
  free(bp);
  return NULL;
}

// Big products are cut in two by rows (or by columns when there are few rows), one half on a
// second thread: each element is summed in the same order either way, so the bits do not depend
// on the thread count.
static int sgemm_direct(const float *a, const float *b, float *c, int m, int k, int n, int transA, int transB, int threads) {
  block_t whole = { a, b, c, m, k, n, transA, transB, 0, m, 0, n, transA && m <= MC, 0 };
  block_t first = whole, second = whole;
  int split = threads > 1 && (double)m * k * n >= SPLIT_WORK;
  if (split && m >= 4 * MR) {
    first.row_end = second.row_begin = (m / 2 + MR - 1) / MR * MR;
  } else if (split && n >= 2 * NR) {
    first.col_end = second.col_begin = (n / 2 + NR - 1) / NR * NR;
  } else {
    split = 0;
  }
  pthread_t helper;
  if (split && pthread_create(&helper, NULL, run_block, &second) != 0) split = 0;
  if (!split) { run_block(&whole); return whole.failed ? -1 : 0; }
  run_block(&first);
  pthread_join(helper, NULL);
  return first.failed || second.failed ? -1 : 0;
}

// x.T @ g (784×50000 · 50000×50) reads x down its columns. Its transpose, g.T @ x, packs x as B,
// row after row, and reads the narrow g in place: computed so, into a scratch C.T, then turned.
int sgemm(const float *a, const float *b, float *c, int m, int k, int n, int transA, int transB, int threads) {
  if (!transA || transB || n >= m || (double)m * k * n < SPLIT_WORK) return sgemm_direct(a, b, c, m, k, n, transA, transB, threads);
  float *ct = malloc(sizeof(float) * (size_t)m * n);
  if (!ct) return -1;
  int status = sgemm_direct(b, a, ct, n, k, m, 1, 0, threads);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) c[(size_t)i * n + j] = ct[(size_t)j * m + i];
  free(ct);
  return status;
}

int sgemm_cpu_supported(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
