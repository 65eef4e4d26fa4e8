// The numeric kernels behind ops, behind one small interface so a faster backend (WASM SIMD) can
// replace the plain TypeScript one without touching the op table.

export interface Backend {
  readonly name: string;
  /**
   * out[m×n] = A·B where A is a (m×k, or k×m when transA) and B is b (k×n, or n×k when transB),
   * all row-major float32. `out` is overwritten.
   */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): void;
  /**
   * Memory for a product of n floats that this backend can fill faster than a plain array (the
   * wasm backend's helper thread writes its half of a big product straight into it), or null.
   */
  allocateProduct?(n: number): Float32Array | null;
  /** Forget operands kept between products (called between traces). */
  release?(): void;
  /** Float32 elementwise loops faster than the TypeScript ones (the native backend), if any. */
  readonly elementwise?: ElementwiseKernels;
}

/** Elements from which a float32 loop goes to the backend's ElementwiseKernels, where it has them. */
export const NATIVE_MIN = 4096;

/** The binary ops ElementwiseKernels.binary runs, by name: arithmetic, then comparisons. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type BinaryOp = typeof BINARY_OPS[number];

/** Each computes exactly what the TypeScript loop in elementwise.ts computes, bit for bit. */
export interface ElementwiseKernels {
  /**
   * out[i·len + j] = a[ia + i·sa + j·la] op b[ib + i·sb + j·lb] for i < rows, j < len, all
   * float32 in; float32 out for arithmetic, 0/1 bytes for comparisons.
   */
  binary(op: BinaryOp, out: Float32Array | Uint8Array, a: Float32Array, b: Float32Array, rows: number, len: number,
    ia: number, sa: number, la: number, ib: number, sb: number, lb: number): void;
  /** out = clamp(x, min, max), min <= max (neither NaN). */
  clamp(out: Float32Array, x: Float32Array, min: number, max: number): void;
  /** out = grad where min <= x <= max, else 0. */
  clampGradient(out: Float32Array, grad: Float32Array, x: Float32Array, min: number, max: number): void;
  /** acc[j] += x[i·len + j] for i < rows, j < len: float64 sums, in row order. */
  sumColumns(acc: Float64Array, x: Float32Array, rows: number, len: number): void;
}

let current: Backend | null = null;

export function setBackend(backend: Backend): void { current = backend; }

export function backend(): Backend {
  if (!current) throw new Error('internal: no numeric backend installed');
  return current;
}
