// The float32 elementwise loops that big tensors meet in every step (a bias added over a batch, a
// ReLU and its gradient, its mask): in JavaScript each element goes through a float64 and a
// bounds check, here the compiler vectorises them with AVX2. Each computes exactly what the
// TypeScript loop in ../elementwise.ts computes: float32 ± × ÷ rounded once (the float64 result
// of two float32s, rounded to float32, is the same number), comparisons against the double bound.
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "elementwise.h"

#define AVX2 __attribute__((target("avx2,fma")))

// One row: out[j] = a[j·la] op b[j·lb]; the contiguous and scalar strides have loops of their own
// so that they vectorise.
#define ROW_LOOPS(expr)                                                                  \
  if (la == 1 && lb == 1) for (size_t j = 0; j < len; j++) { float x = a[j], y = b[j]; out[j] = (expr); } \
  else if (la == 1 && lb == 0) { float y = b[0]; for (size_t j = 0; j < len; j++) { float x = a[j]; out[j] = (expr); } } \
  else if (la == 0 && lb == 1) { float x = a[0]; for (size_t j = 0; j < len; j++) { float y = b[j]; out[j] = (expr); } } \
  else for (size_t j = 0; j < len; j++) { float x = a[j * la], y = b[j * lb]; out[j] = (expr); }

AVX2 static void arithmetic_row(int op, float *out, const float *a, const float *b, size_t len, size_t la, size_t lb) {
  switch (op) {
    case OP_ADD: ROW_LOOPS(x + y) break;
    case OP_SUB: ROW_LOOPS(x - y) break;
    case OP_MUL: ROW_LOOPS(x * y) break;
    case OP_DIV: ROW_LOOPS(x / y) break;
  }
}

AVX2 static void compare_row(int op, uint8_t *out, const float *a, const float *b, size_t len, size_t la, size_t lb) {
  switch (op) {
    case OP_EQ: ROW_LOOPS(x == y) break;
    case OP_NE: ROW_LOOPS(x != y) break;
    case OP_LT: ROW_LOOPS(x < y) break;
    case OP_LE: ROW_LOOPS(x <= y) break;
    case OP_GT: ROW_LOOPS(x > y) break;
    case OP_GE: ROW_LOOPS(x >= y) break;
  }
}

void binary_rows(int op, void *out, const float *a, const float *b, size_t rows, size_t len, size_t sa, size_t la, size_t sb, size_t lb) {
  for (size_t i = 0; i < rows; i++) {
    if (op < OP_EQ) arithmetic_row(op, (float *)out + i * len, a + i * sa, b + i * sb, len, la, lb);
    else compare_row(op, (uint8_t *)out + i * len, a + i * sa, b + i * sb, len, la, lb);
  }
}

// For a float x and a double bound m, x < m exactly when x < above(m), the least float >= m (and
// x > m when x > below(m)): so the loops compare in float32, eight lanes at a time, and give what
// the double comparisons in TypeScript give.
static float above(double m) { float f = (float)m; return (double)f < m ? nextafterf(f, INFINITY) : f; }
static float below(double m) { float f = (float)m; return (double)f > m ? nextafterf(f, -INFINITY) : f; }

// NaN compares false both ways and stays NaN.
AVX2 void clamp_float(float *out, const float *x, size_t n, double min, double max) {
  const float lo = above(min), hi = below(max), min_f = (float)min, max_f = (float)max;
  for (size_t i = 0; i < n; i++) {
    float v = x[i];
    v = v < lo ? min_f : v;
    out[i] = v > hi ? max_f : v;
  }
}

// PyTorch's where(min <= x <= max, grad, 0): a NaN or inf gradient outside the range gives 0.
AVX2 void clamp_gradient(float *out, const float *grad, const float *x, size_t n, double min, double max) {
  const float lo = above(min), hi = below(max);
  for (size_t i = 0; i < n; i++) out[i] = x[i] >= lo && x[i] <= hi ? grad[i] : 0.0f;
}

// sum(0) of a batch (a bias's gradient): each column's float64 sum in row order, as the
// TypeScript loop adds them, vectorised across the columns.
AVX2 void sum_columns(double *acc, const float *x, size_t rows, size_t len) {
  for (size_t i = 0; i < rows; i++, x += len)
    for (size_t j = 0; j < len; j++) acc[j] += (double)x[j];
}
