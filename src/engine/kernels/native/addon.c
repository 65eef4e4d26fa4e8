// The Node-API face of the native kernel: matmul(a, b, out, m, k, n, transA, transB, threads)
// on Float32Arrays, synchronous, as Backend.matmul. Node-API is a stable C ABI (the same binary
// loads in every Node from 12 on, and in worker threads), so the few declarations it needs are
// written here rather than taken from Node's headers, which a machine may not have.
#include <stddef.h>
#include <stdint.h>
#include "sgemm.h"

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef int napi_status; // napi_ok is 0
typedef napi_value (*napi_callback)(napi_env env, napi_callback_info info);
typedef int napi_typedarray_type;
#define NAPI_FLOAT32_ARRAY 7
#define NAPI_AUTO_LENGTH SIZE_MAX

napi_status napi_get_cb_info(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv, napi_value *this_arg, void **data);
napi_status napi_get_typedarray_info(napi_env env, napi_value array, napi_typedarray_type *type, size_t *length, void **data,
                                     napi_value *arraybuffer, size_t *byte_offset);
napi_status napi_get_value_int32(napi_env env, napi_value value, int32_t *result);
napi_status napi_create_function(napi_env env, const char *name, size_t length, napi_callback cb, void *data, napi_value *result);
napi_status napi_set_named_property(napi_env env, napi_value object, const char *name, napi_value value);
napi_status napi_throw_error(napi_env env, const char *code, const char *message);
napi_status napi_throw_type_error(napi_env env, const char *code, const char *message);

static int float32_array(napi_env env, napi_value value, float **data, size_t *length) {
  napi_typedarray_type type;
  void *raw;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, NULL, NULL) != 0 || type != NAPI_FLOAT32_ARRAY) return 0;
  *data = raw;
  return 1;
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
  int32_t dims[6];
  if (!float32_array(env, argv[0], &a, &la) || !float32_array(env, argv[1], &b, &lb) || !float32_array(env, argv[2], &c, &lc)) {
    napi_throw_type_error(env, NULL, "matmul: a, b and out must be Float32Arrays");
    return NULL;
  }
  for (int i = 0; i < 6; i++) {
    if (napi_get_value_int32(env, argv[3 + i], &dims[i]) != 0 || dims[i] < 0) {
      napi_throw_type_error(env, NULL, "matmul: m, k, n, transA, transB and threads must be numbers ≥ 0");
      return NULL;
    }
  }
  int32_t m = dims[0], k = dims[1], n = dims[2];
  if ((uint64_t)m * k > la || (uint64_t)k * n > lb || (uint64_t)m * n > lc) {
    napi_throw_error(env, NULL, "matmul: an array is shorter than its shape");
    return NULL;
  }
  if (sgemm(a, b, c, m, k, n, dims[3] != 0, dims[4] != 0, dims[5]) != 0) napi_throw_error(env, NULL, "matmul: out of memory for the packed panels");
  return NULL;
}

napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  if (!sgemm_cpu_supported()) {
    napi_throw_error(env, NULL, "this CPU lacks AVX2 or FMA");
    return NULL;
  }
  napi_value fn;
  if (napi_create_function(env, "matmul", NAPI_AUTO_LENGTH, matmul, NULL, &fn) != 0) return NULL;
  napi_set_named_property(env, exports, "matmul", fn);
  return exports;
}
