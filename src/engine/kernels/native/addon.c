// The Node-API face of the native kernels, synchronous, on typed arrays: matmul(a, b, out, m, k,
// n, transA, transB, threads) as Backend.matmul, and the elementwise loops of elementwise.h. Node-API is a stable C ABI (the same binary
// loads in every Node from 12 on, and in worker threads), so the few declarations it needs are
// written here rather than taken from Node's headers, which a machine may not have.
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include "elementwise.h"
#include "sgemm.h"

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef int napi_status; // napi_ok is 0
typedef napi_value (*napi_callback)(napi_env env, napi_callback_info info);
typedef int napi_typedarray_type;
#define NAPI_UINT8_ARRAY 1
#define NAPI_FLOAT32_ARRAY 7
#define NAPI_FLOAT64_ARRAY 8
#define NAPI_AUTO_LENGTH SIZE_MAX
#define SAFE_INTEGER 9007199254740991LL // JavaScript's Number.MAX_SAFE_INTEGER

napi_status napi_get_cb_info(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv, napi_value *this_arg, void **data);
napi_status napi_get_typedarray_info(napi_env env, napi_value array, napi_typedarray_type *type, size_t *length, void **data,
                                     napi_value *arraybuffer, size_t *byte_offset);
napi_status napi_get_value_int32(napi_env env, napi_value value, int32_t *result);
napi_status napi_get_value_int64(napi_env env, napi_value value, int64_t *result);
napi_status napi_get_value_double(napi_env env, napi_value value, double *result);
napi_status napi_create_function(napi_env env, const char *name, size_t length, napi_callback cb, void *data, napi_value *result);
napi_status napi_set_named_property(napi_env env, napi_value object, const char *name, napi_value value);
napi_status napi_throw_error(napi_env env, const char *code, const char *message);
napi_status napi_throw_type_error(napi_env env, const char *code, const char *message);

static int typed_array(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length) {
  napi_typedarray_type type;
  return napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) == 0 && type == want;
}

static int float32_array(napi_env env, napi_value value, float **data, size_t *length) {
  return typed_array(env, value, NAPI_FLOAT32_ARRAY, (void **)data, length);
}

// argv[0..count) as whole numbers in [0, most] (offsets, strides, sizes), or a thrown TypeError:
// read as doubles, so that 2.5 or 2^32 + 2 is refused rather than cut to 2.
static int sizes(napi_env env, napi_value *argv, int count, int64_t *out, int64_t most, const char *what) {
  for (int i = 0; i < count; i++) {
    double v;
    if (napi_get_value_double(env, argv[i], &v) != 0 || !(v >= 0 && v <= (double)most) || v != (double)(int64_t)v) {
      napi_throw_type_error(env, NULL, what);
      return 0;
    }
    out[i] = (int64_t)v;
  }
  return 1;
}

// Whether start + (rows - 1)·rs + (len - 1)·ls < length (rows, len ≥ 1), with no overflow on the way.
static int reaches_within(uint64_t start, uint64_t rows, uint64_t rs, uint64_t len, uint64_t ls, size_t length) {
  uint64_t down, across, end;
  return !__builtin_mul_overflow(rows - 1, rs, &down) && !__builtin_mul_overflow(len - 1, ls, &across)
    && !__builtin_add_overflow(start, down, &end) && !__builtin_add_overflow(end, across, &end) && end < length;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

// A big fresh result is written in 2 MB pages where the kernel allows (transparent huge pages on
// request): 157 MB of lesson 13's inp.g took ~38k page faults of 4 KB, more time than its product.
// Only a hint about memory the array already owns (the whole 2 MB pages inside it); the hint
// stays on that memory after the array is freed, which only means more big pages.
static void huge_pages_for(void *data, size_t bytes) {
  const uintptr_t huge = 2u << 20;
  uintptr_t begin = ((uintptr_t)data + huge - 1) & ~(huge - 1), end = ((uintptr_t)data + bytes) & ~(huge - 1);
  if (bytes >= 4 * huge && end > begin) madvise((void *)begin, end - begin, MADV_HUGEPAGE);
}

static napi_value matmul(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc != 9) {
    napi_throw_type_error(env, NULL, "matmul(a, b, out, m, k, n, transA, transB, threads)");
    return NULL;
  }
  float *a, *b, *c;
  size_t la, lb, lc;
  int64_t dims[6];
  if (!float32_array(env, argv[0], &a, &la) || !float32_array(env, argv[1], &b, &lb) || !float32_array(env, argv[2], &c, &lc)) {
    napi_throw_type_error(env, NULL, "matmul: a, b and out must be Float32Arrays");
    return NULL;
  }
  if (!sizes(env, argv + 3, 6, dims, INT32_MAX, "matmul: m, k, n, transA, transB and threads must be whole numbers ≥ 0 (< 2^31)")) return NULL;
  int m = (int)dims[0], k = (int)dims[1], n = (int)dims[2];
  if ((uint64_t)m * k > la || (uint64_t)k * n > lb || (uint64_t)m * n > lc) {
    napi_throw_error(env, NULL, "matmul: an array is shorter than its shape");
    return NULL;
  }
  huge_pages_for(c, (size_t)m * n * sizeof(float));
  if (sgemm(a, b, c, m, k, n, dims[3] != 0, dims[4] != 0, (int)dims[5]) != 0) napi_throw_error(env, NULL, "matmul: out of memory for the packed panels");
  return NULL;
}

// binary(op, out, a, b, rows, len, ia, sa, la, ib, sb, lb): see binary_rows.
static napi_value binary(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  int32_t op;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc != 12 || napi_get_value_int32(env, argv[0], &op) != 0 || op < 0 || op >= OP_COUNT) {
    napi_throw_type_error(env, NULL, "binary(op, out, a, b, rows, len, ia, sa, la, ib, sb, lb)");
    return NULL;
  }
  void *out;
  float *a, *b;
  size_t lo, la_, lb_;
  if (!typed_array(env, argv[1], op < OP_EQ ? NAPI_FLOAT32_ARRAY : NAPI_UINT8_ARRAY, &out, &lo) || !float32_array(env, argv[2], &a, &la_) || !float32_array(env, argv[3], &b, &lb_)) {
    napi_throw_type_error(env, NULL, "binary: out must be a Float32Array (a Uint8Array for comparisons), a and b Float32Arrays");
    return NULL;
  }
  int64_t v[8]; // rows, len, ia, sa, la, ib, sb, lb
  if (!sizes(env, argv + 4, 8, v, SAFE_INTEGER, "binary: sizes, offsets and strides must be whole numbers ≥ 0")) return NULL;
  uint64_t rows = (uint64_t)v[0], len = (uint64_t)v[1], total;
  if (rows && len) {
    if (__builtin_mul_overflow(rows, len, &total) || total > lo) return fail(env, "binary: out is shorter than rows × len");
    if (!reaches_within((uint64_t)v[2], rows, (uint64_t)v[3], len, (uint64_t)v[4], la_) || !reaches_within((uint64_t)v[5], rows, (uint64_t)v[6], len, (uint64_t)v[7], lb_)) {
      return fail(env, "binary: an input is shorter than its offsets and strides reach");
    }
    huge_pages_for(out, total * (op < OP_EQ ? sizeof(float) : 1));
    binary_rows(op, out, a + v[2], b + v[5], rows, len, v[3], v[4], v[6], v[7]);
  }
  return NULL;
}

// clamp(out, x, min, max) and clampGradient(out, grad, x, min, max), over the length of x.
static napi_value clamp_common(napi_env env, napi_callback_info info, int gradient) {
  size_t argc = 5;
  napi_value argv[5];
  float *out, *grad = NULL, *x;
  size_t lo, lg = 0, lx;
  double bounds[2];
  int arrays = gradient ? 3 : 2;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc != (size_t)arrays + 2 || !float32_array(env, argv[0], &out, &lo)
      || (gradient && !float32_array(env, argv[1], &grad, &lg)) || !float32_array(env, argv[arrays - 1], &x, &lx)
      || napi_get_value_double(env, argv[arrays], &bounds[0]) != 0 || napi_get_value_double(env, argv[arrays + 1], &bounds[1]) != 0) {
    napi_throw_type_error(env, NULL, gradient ? "clampGradient(out, grad, x, min, max) on Float32Arrays" : "clamp(out, x, min, max) on Float32Arrays");
    return NULL;
  }
  if (lo < lx || (gradient && lg < lx)) return fail(env, "clamp: out (or grad) is shorter than x");
  if (!(bounds[0] <= bounds[1])) return fail(env, "clamp: min must be <= max (and not NaN)");
  huge_pages_for(out, lx * sizeof(float));
  if (gradient) clamp_gradient(out, grad, x, lx, bounds[0], bounds[1]);
  else clamp_float(out, x, lx, bounds[0], bounds[1]);
  return NULL;
}

// sumColumns(acc, x, rows, len): acc (Float64Array) += the column sums of x (Float32Array, rows × len).
static napi_value sum_columns_napi(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  double *acc;
  float *x;
  size_t lacc, lx;
  int64_t v[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc != 4 || !typed_array(env, argv[0], NAPI_FLOAT64_ARRAY, (void **)&acc, &lacc)
      || !float32_array(env, argv[1], &x, &lx)) {
    napi_throw_type_error(env, NULL, "sumColumns(acc: Float64Array, x: Float32Array, rows, len)");
    return NULL;
  }
  if (!sizes(env, argv + 2, 2, v, SAFE_INTEGER, "sumColumns: rows and len must be whole numbers ≥ 0")) return NULL;
  if ((uint64_t)v[1] > lacc || (v[1] && (uint64_t)v[0] > lx / (uint64_t)v[1])) return fail(env, "sumColumns: acc or x is shorter than rows × len");
  sum_columns(acc, x, v[0], v[1]);
  return NULL;
}

static napi_value clamp(napi_env env, napi_callback_info info) { return clamp_common(env, info, 0); }
static napi_value clamp_grad(napi_env env, napi_callback_info info) { return clamp_common(env, info, 1); }

napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  if (!sgemm_cpu_supported()) {
    napi_throw_error(env, NULL, "this CPU lacks AVX2 or FMA");
    return NULL;
  }
  const struct { const char *name; napi_callback cb; } functions[] = {
    { "matmul", matmul }, { "binary", binary }, { "clamp", clamp }, { "clampGradient", clamp_grad },
    { "sumColumns", sum_columns_napi },
  };
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].cb, NULL, &fn) != 0) return NULL;
    napi_set_named_property(env, exports, functions[i].name, fn);
  }
  return exports;
}
