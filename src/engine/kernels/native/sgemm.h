// The native kernel's entry points (sgemm.c), for the Node-API glue (addon.c).
#ifndef GRADLENS_SGEMM_H
#define GRADLENS_SGEMM_H

/** C (m×n) = op(A) · op(B), row-major; 0, or -1 when scratch memory could not be had. */
int sgemm(const float *a, const float *b, float *c, int m, int k, int n, int transA, int transB, int threads);

/** Whether this CPU has AVX2 and FMA, which the kernel needs. */
int sgemm_cpu_supported(void);

#endif
