// The reference backend: cache-blocked matmul in plain TypeScript. Tests compare faster backends to it.
import type { Backend } from './backend';

const BLOCK = 64;

export const plainBackend: Backend = {
  name: 'plain-ts',
  matmul(a, b, out, m, k, n, transA, transB) {
    out.fill(0);
    // Copy transposed operands once so the inner loop walks both rows contiguously.
    const A = transA ? transpose(a, k, m) : a;
    const B = transB ? transpose(b, n, k) : b;
    const row = new Float64Array(n);
    for (let i0 = 0; i0 < m; i0 += BLOCK) {
      const i1 = Math.min(i0 + BLOCK, m);
      for (let i = i0; i < i1; i++) {
        row.fill(0);
        for (let p0 = 0; p0 < k; p0 += BLOCK) {
          const p1 = Math.min(p0 + BLOCK, k);
          for (let p = p0; p < p1; p++) {
            const av = A[i * k + p];
            const bo = p * n;
            for (let j = 0; j < n; j++) row[j] += av * B[bo + j];
          }
        }
        const oo = i * n;
        for (let j = 0; j < n; j++) out[oo + j] = row[j];
      }
    }
  },
};

function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
  return t;
}
