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
}

let current: Backend | null = null;

export function setBackend(backend: Backend): void { current = backend; }

export function backend(): Backend {
  if (!current) throw new Error('internal: no numeric backend installed');
  return current;
}
