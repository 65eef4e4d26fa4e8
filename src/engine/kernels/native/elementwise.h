// The native elementwise loops (elementwise.c), for the Node-API glue (addon.c).
#ifndef GRADLENS_ELEMENTWISE_H
#define GRADLENS_ELEMENTWISE_H
#include <stddef.h>

// Binary ops; the numbers are part of the addon's interface (native.ts names them too).
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_COUNT };

/**
 * out[i·len + j] = a[i·sa + j·la] op b[i·sb + j·lb] for i < rows, j < len: float32 for the
 * arithmetic ops, 0/1 bytes for the comparisons.
 */
void binary_rows(int op, void *out, const float *a, const float *b, size_t rows, size_t len, size_t sa, size_t la, size_t sb, size_t lb);

/** clamp(x, min, max) with min <= max; NaN stays NaN. */
void clamp_float(float *out, const float *x, size_t n, double min, double max);

/** grad where min <= x <= max, else 0. */
void clamp_gradient(float *out, const float *grad, const float *x, size_t n, double min, double max);

/** acc[j] += x[i·len + j] for i < rows, j < len: float64 sums in row order. */
void sum_columns(double *acc, const float *x, size_t rows, size_t len);

#endif
