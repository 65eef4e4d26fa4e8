// wasm-flags: -matomics -mbulk-memory -Wl,--shared-memory
// wasm-variant: relaxed -mrelaxed-simd
// Single-precision GEMM for WebAssembly SIMD (simd128): C = op(A) · op(B), row-major.
// Built by scripts/build-wasm.sh into sgemm-bytes.ts, which is committed (clang is not needed to
// build the extension). Packing makes both transpose flags free: panels are copied in the order
// the micro-kernel reads them, from either layout.
//
// Two threads run this module over one shared memory (see ../wasm.ts), each on its own blocks,
// with its own scratch panels and its own shadow stack (set_stack).
#include <wasm_simd128.h>

#define MR 4
#define NR 8
#define KC 400
#define MC 128

// c + a·b. Built with -mrelaxed-simd (the "relaxed" variant) it is one f32x4.relaxed_madd, which V8
// compiles to an FMA instruction where the CPU has one: ~15% faster products here. The fused
// multiply-add rounds once, so its results differ from the plain variant's in the last bits.
#ifdef __wasm_relaxed_simd__
#define MADD(c, a, b) __builtin_wasm_relaxed_madd_f32x4(a, b, c)
#else
#define MADD(c, a, b) wasm_f32x4_add(c, wasm_f32x4_mul(a, b))
#endif

typedef unsigned long size_t;

// Each instance starts with the same stack pointer; the helper thread's instance moves its own.
__asm__(".globaltype __stack_pointer, i32");
__attribute__((export_name("set_stack")))
void set_stack(unsigned top) {
  __asm__ volatile("local.get %0\n\tglobal.set __stack_pointer" : : "r"(top));
}

// The deepest panel, for the caller's scratch sizes (wasm.ts checks it matches its own KC).
__attribute__((export_name("panel_depth")))
int panel_depth(void) { return KC; }

// A(i, p) of op(A) where A is m×k (or k×m when transposed).
static inline float a_at(const float *a, int transA, int m, int k, int i, int p) {
  return transA ? a[(size_t)p * m + i] : a[(size_t)i * k + p];
}
static inline float b_at(const float *b, int transB, int k, int n, int p, int j) {
  return transB ? b[(size_t)j * k + p] : b[(size_t)p * n + j];
}

// pack_b, pack_a and macro stay out of sgemm (noinline) on purpose: V8 runs a wasm function in
// its baseline tier until a later *call* picks up the optimised code, so the hot code must be
// called many times for the first big product to be fast (all inlined, the first ran 4× slower).

// Rows r0..r3 (4 floats each) → columns: out[j] holds element j of every row.
static inline void transpose4(v128_t r0, v128_t r1, v128_t r2, v128_t r3, float *out, int stride) {
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(out, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
  wasm_v128_store(out + stride, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
  wasm_v128_store(out + 2 * stride, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
  wasm_v128_store(out + 3 * stride, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
}

// Packed B: for each panel of NR columns, kc rows of NR floats (zeros past j_end).
__attribute__((noinline))
static void pack_b(const float *b, int transB, int k, int n, int p0, int kc, int j_begin, int j_end, float *bp) {
  for (int j0 = j_begin; j0 < j_end; j0 += NR, bp += (size_t)NR * kc) {
    int p = 0;
    if (j_end - j0 >= NR && !transB) {
      for (; p < kc; p++) {
        const float *src = b + (size_t)(p0 + p) * n + j0;
        wasm_v128_store(bp + p * NR, wasm_v128_load(src));
        wasm_v128_store(bp + p * NR + 4, wasm_v128_load(src + 4));
      }
    } else if (j_end - j0 >= NR) {
      for (; p + 4 <= kc; p += 4) {
        for (int half = 0; half < NR; half += 4) {
          const float *src = b + (size_t)(j0 + half) * k + p0 + p;
          transpose4(wasm_v128_load(src), wasm_v128_load(src + k), wasm_v128_load(src + 2 * (size_t)k),
                     wasm_v128_load(src + 3 * (size_t)k), bp + p * NR + half, NR);
        }
      }
    }
    for (; p < kc; p++)
      for (int jj = 0; jj < NR; jj++) {
        int j = j0 + jj;
        bp[p * NR + jj] = j < j_end ? b_at(b, transB, k, n, p0 + p, j) : 0.0f;
      }
  }
}

// Packed A: for each panel of MR rows, kc columns of MR floats (zeros past the mc rows); the
// panels `panel_stride` floats apart (MR·kc in a block's scratch, MR·k in pack_a_full's layout).
__attribute__((noinline))
static void pack_a(const float *a, int transA, int m, int k, int i0, int mc, int p0, int kc, float *ap, size_t panel_stride) {
  for (int r0 = 0; r0 < mc; r0 += MR, ap += panel_stride) {
    int i = i0 + r0, p = 0;
    if (mc - r0 >= MR && transA) {
      for (; p < kc; p++) wasm_v128_store(ap + p * MR, wasm_v128_load(a + (size_t)(p0 + p) * m + i));
    } else if (mc - r0 >= MR) {
      const float *src = a + (size_t)i * k + p0;
      for (; p + 4 <= kc; p += 4)
        transpose4(wasm_v128_load(src + p), wasm_v128_load(src + k + p), wasm_v128_load(src + 2 * (size_t)k + p),
                   wasm_v128_load(src + 3 * (size_t)k + p), ap + p * MR, MR);
    }
    for (; p < kc; p++)
      for (int rr = 0; rr < MR; rr++) ap[p * MR + rr] = r0 + rr < mc ? a_at(a, transA, m, k, i + rr, p0 + p) : 0.0f;
  }
}

// C row (+)= [lo hi] when all 8 columns are valid.
static inline void store_row(float *cr, v128_t lo, v128_t hi, int first) {
  if (!first) { lo = wasm_f32x4_add(lo, wasm_v128_load(cr)); hi = wasm_f32x4_add(hi, wasm_v128_load(cr + 4)); }
  wasm_v128_store(cr, lo); wasm_v128_store(cr + 4, hi);
}

// The first `cols` (< 8) values of [lo hi] into a C row, through this thread's `edge` scratch.
static void store_row_part(float *cr, v128_t lo, v128_t hi, int cols, int first, float *edge) {
  wasm_v128_store(edge, lo); wasm_v128_store(edge + 4, hi);
  for (int j = 0; j < cols; j++) cr[j] = first ? edge[j] : cr[j] + edge[j];
}

// acc(4×8) = Ap-panel · Bp-panel over kc, then C tile (+)= acc (only the valid rows/cols).
static inline void micro(const float *ap, const float *bp, int kc, float *c, int ldc, int rows, int cols, int first, float *edge) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int p = 0; p < kc; p++) {
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t a0 = wasm_v128_load32_splat(ap), a1 = wasm_v128_load32_splat(ap + 1);
    v128_t a2 = wasm_v128_load32_splat(ap + 2), a3 = wasm_v128_load32_splat(ap + 3);
    c00 = MADD(c00, a0, b0); c01 = MADD(c01, a0, b1);
    c10 = MADD(c10, a1, b0); c11 = MADD(c11, a1, b1);
    c20 = MADD(c20, a2, b0); c21 = MADD(c21, a2, b1);
    c30 = MADD(c30, a3, b0); c31 = MADD(c31, a3, b1);
    ap += MR; bp += NR;
  }
  if (rows == MR && cols == NR) {
    store_row(c, c00, c01, first);
    store_row(c + ldc, c10, c11, first);
    store_row(c + 2 * (size_t)ldc, c20, c21, first);
    store_row(c + 3 * (size_t)ldc, c30, c31, first);
    return;
  }
  store_row_part(c, c00, c01, cols, first, edge);
  if (rows > 1) store_row_part(c + ldc, c10, c11, cols, first, edge);
  if (rows > 2) store_row_part(c + 2 * (size_t)ldc, c20, c21, cols, first, edge);
  if (rows > 3) store_row_part(c + 3 * (size_t)ldc, c30, c31, cols, first, edge);
}

// The last panel of a product whose n is not a multiple of 8 (n = 50: 2 columns): through the
// 4×8 tile it would cost a whole panel for a quarter of its lanes. Here a column of 4 rows is one
// accumulator (a load of A, a splat of B per multiply-add), for several panels of A at once: 16
// rows when cols ≤ 2, else 8, so that 8 accumulators are in flight (with fewer, each waits on its
// own previous multiply-add). Per element the same multiply-adds in the same order as micro.
#define NARROW_ROWS(cols) ((cols) <= 2 ? 4 * MR : 2 * MR)
static void micro_narrow(const float *ap, size_t a_stride, const float *bp, int kc, float *c, int ldc, int rows, int cols, int first) {
  // Panels past `rows` read panel 0 again (in bounds; their sums are not stored).
  const float *a0 = ap, *a1 = rows > MR ? ap + a_stride : ap;
  const float *a2 = rows > 2 * MR ? ap + 2 * a_stride : ap, *a3 = rows > 3 * MR ? ap + 3 * a_stride : ap;
  v128_t acc[4][4];
  for (int g = 0; g < 4; g++) for (int j = 0; j < 4; j++) acc[g][j] = wasm_f32x4_splat(0);
  if (cols <= 2) {
    v128_t x0 = acc[0][0], x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
    for (int p = 0; p < kc; p++, bp += NR) {
      v128_t b0 = wasm_v128_load32_splat(bp), b1 = wasm_v128_load32_splat(bp + 1);
      v128_t v0 = wasm_v128_load(a0 + p * MR), v1 = wasm_v128_load(a1 + p * MR);
      v128_t v2 = wasm_v128_load(a2 + p * MR), v3 = wasm_v128_load(a3 + p * MR);
      x0 = MADD(x0, v0, b0); x1 = MADD(x1, v1, b0); x2 = MADD(x2, v2, b0); x3 = MADD(x3, v3, b0);
      y0 = MADD(y0, v0, b1); y1 = MADD(y1, v1, b1); y2 = MADD(y2, v2, b1); y3 = MADD(y3, v3, b1);
    }
    acc[0][0] = x0; acc[1][0] = x1; acc[2][0] = x2; acc[3][0] = x3;
    acc[0][1] = y0; acc[1][1] = y1; acc[2][1] = y2; acc[3][1] = y3;
  } else {
    v128_t x0 = acc[0][0], x1 = x0, y0 = x0, y1 = x0, z0 = x0, z1 = x0, w0 = x0, w1 = x0;
    for (int p = 0; p < kc; p++, bp += NR) {
      v128_t b0 = wasm_v128_load32_splat(bp), b1 = wasm_v128_load32_splat(bp + 1);
      v128_t b2 = wasm_v128_load32_splat(bp + 2), b3 = wasm_v128_load32_splat(bp + 3);
      v128_t v0 = wasm_v128_load(a0 + p * MR), v1 = wasm_v128_load(a1 + p * MR);
      x0 = MADD(x0, v0, b0); x1 = MADD(x1, v1, b0); y0 = MADD(y0, v0, b1); y1 = MADD(y1, v1, b1);
      z0 = MADD(z0, v0, b2); z1 = MADD(z1, v1, b2); w0 = MADD(w0, v0, b3); w1 = MADD(w1, v1, b3);
    }
    acc[0][0] = x0; acc[1][0] = x1; acc[0][1] = y0; acc[1][1] = y1;
    acc[0][2] = z0; acc[1][2] = z1; acc[0][3] = w0; acc[1][3] = w1;
  }
  float lanes[4];
  for (int r = 0; r < rows; r++) {
    for (int j = 0; j < cols; j++) {
      wasm_v128_store(lanes, acc[r / MR][j]);
      float *cr = c + (size_t)r * ldc + j;
      *cr = first ? lanes[r % MR] : *cr + lanes[r % MR];
    }
  }
}

// C block (mc × ncols) (+)= packed A (mc × kc, panels a_stride apart) · packed B (kc × ncols),
// once per MC × KC block.
__attribute__((noinline))
static void macro(const float *ap, size_t a_stride, const float *bp, int kc, float *c, int ldc, int mc, int ncols, int first, float *edge) {
  int narrow = ncols % NR, wide = ncols - narrow;
  if (narrow > 4) narrow = 0, wide = ncols;
  for (int r0 = 0; r0 < mc; r0 += MR) {
    const float *apanel = ap + (size_t)(r0 / MR) * a_stride;
    int rows = mc - r0 < MR ? mc - r0 : MR;
    for (int j0 = 0; j0 < wide; j0 += NR) {
      int cols = wide - j0 < NR ? wide - j0 : NR;
      micro(apanel, bp + (size_t)j0 * kc, kc, c + (size_t)r0 * ldc + j0, ldc, rows, cols, first, edge);
    }
  }
  for (int r0 = 0; narrow && r0 < mc; r0 += NARROW_ROWS(narrow)) {
    int rows = mc - r0 < NARROW_ROWS(narrow) ? mc - r0 : NARROW_ROWS(narrow);
    micro_narrow(ap + (size_t)(r0 / MR) * a_stride, a_stride, bp + (size_t)wide * kc, kc, c + (size_t)r0 * ldc + wide, ldc, rows, narrow, first);
  }
}

// The block rows [row_begin, row_end) × columns [col_begin, col_end) of C, summed over the depth
// [p_begin, p_end) only; the rest of C is not touched, so two threads can each take a block (a
// block of the depth goes to a C of its own, summed afterwards). `scratch` is this thread's own:
// 8 floats for edge tiles, MC × KC floats of packed A, then KC × round_up(col_end - col_begin, NR)
// of packed B. transA = 2: `a` is op(A) already packed whole by pack_a_full, and is read in place.
__attribute__((export_name("sgemm")))
void sgemm(const float *a, const float *b, float *c, int m, int k, int n, int transA, int transB, float *scratch,
           int row_begin, int row_end, int col_begin, int col_end, int p_begin, int p_end) {
  float *edge = scratch, *ap = scratch + NR, *bp = ap + MC * KC;
  if (p_begin >= p_end) {
    for (int i = row_begin; i < row_end; i++)
      for (int j = col_begin; j < col_end; j++) c[(size_t)i * n + j] = 0;
    return;
  }
  // The depth in equal panels of at most KC (784 = 2 × 392, not 400 + 384; a thin last panel
  // would re-read and re-write C for little work), a multiple of 4 for the packing's transposes.
  int panels = (p_end - p_begin + KC - 1) / KC, step = ((p_end - p_begin + panels - 1) / panels + 3) & ~3;
  for (int p0 = p_begin; p0 < p_end; p0 += step) {
    int kc = p_end - p0 < step ? p_end - p0 : step;
    pack_b(b, transB, k, n, p0, kc, col_begin, col_end, bp);
    for (int i0 = row_begin; i0 < row_end; i0 += MC) {
      int mc = row_end - i0 < MC ? row_end - i0 : MC;
      float *c_block = c + (size_t)i0 * n + col_begin;
      if (transA == 2) {
        macro(a + (size_t)i0 * k + (size_t)p0 * MR, (size_t)MR * k, bp, kc, c_block, n, mc, col_end - col_begin, p0 == p_begin, edge);
      } else {
        pack_a(a, transA, m, k, i0, mc, p0, kc, ap, (size_t)MR * kc);
        macro(ap, (size_t)MR * kc, bp, kc, c_block, n, mc, col_end - col_begin, p0 == p_begin, edge);
      }
    }
  }
}

// op(A) (m × k) packed whole, for a big operand that is multiplied again (x in x @ w1, then in
// x.T @ g): panel r (rows r·MR..r·MR+MR-1, zeros past m) holds k columns of MR floats at
// out + r·MR·k, so a block's panel for rows i0.. and depth p0.. starts at out + i0·k + p0·MR.
// Packed in the same KC × MC blocks as sgemm packs them, so the source is read cache-friendly.
__attribute__((export_name("pack_a_full")))
void pack_a_full(const float *a, int transA, int m, int k, float *out) {
  for (int p0 = 0; p0 < k; p0 += KC) {
    int kc = k - p0 < KC ? k - p0 : KC;
    for (int i0 = 0; i0 < m; i0 += MC) {
      int mc = m - i0 < MC ? m - i0 : MC;
      pack_a(a, transA, m, k, i0, mc, p0, kc, out + (size_t)i0 * k + (size_t)p0 * MR, (size_t)MR * k);
    }
  }
}
