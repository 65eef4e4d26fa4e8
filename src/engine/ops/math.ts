// Untracked tensor arithmetic: what op rows use for their forward passes and VJPs.
// Nothing here records onto the tape.
import { broadcastShapes } from '../broadcast';
import { ShapeError } from '../errors';
import { backend } from '../kernels/backend';
import { broadcastTo, map, scaleFloat, zip } from '../kernels/elementwise';
import { extremeAlong, normalizeDims, sumDims } from '../kernels/reduce';
import { allocate, formatShape, memory, normalizeDim, numel, promote, stridesOf, Tensor } from '../tensor';

export const add = (a: Tensor, b: Tensor) => zip(a, b, (x, y) => x + y, promote(a.dtype, b.dtype), 'add');
export const sub = (a: Tensor, b: Tensor) => zip(a, b, (x, y) => x - y, promote(a.dtype, b.dtype), 'sub');
export const mul = (a: Tensor, b: Tensor) => zip(a, b, (x, y) => x * y, promote(a.dtype, b.dtype), 'mul');
export const div = (a: Tensor, b: Tensor) => zip(a, b, (x, y) => x / y, 'float32', 'div');
export const neg = (a: Tensor) => map(a, (x) => -x, a.dtype, 'neg');
export const scale = (a: Tensor, s: number) => scaleFloat(a, s);
export const float = (a: Tensor) => a.to('float32');
export const scalar = (v: number) => Tensor.scalar(v);

export function sum(a: Tensor, dims?: number | number[] | null, keepdim = false): Tensor {
  return sumDims(a, normalizeDims(dims, a.ndim, 'sum'), keepdim);
}

/** Outer products at least this big wait for their reader (see Tensor.outerOf). */
const DEFER_OUTER_MIN = 1 << 20;

/** a·b when it is a big float32 outer product (I,K,1)·(I,1,J), either way round: not computed yet. */
export function deferredOuter(a: Tensor, b: Tensor): Tensor | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) return null;
  const outerOf = a.shape[2] === 1 && b.shape[1] === 1 ? { column: a, row: b }
    : b.shape[2] === 1 && a.shape[1] === 1 ? { column: b, row: a } : null;
  if (!outerOf) return null;
  const shape = [a.shape[0], outerOf.column.shape[1], outerOf.row.shape[2]];
  if (numel(shape) < DEFER_OUTER_MIN) return null;
  memory.charge(numel(shape) * 4); // too big fails here, on the line that asked for it, as before
  return new Tensor(shape, 'float32', null, undefined, { outerOf, make: () => mul(a, b).data });
}

/** sum(0) of a deferred outer product is columnᵀ·row: a matrix product, never the (I,K,J) tensor. */
export function contractOuter(a: Tensor, dims: number[], keepdim: boolean): Tensor | null {
  if (!a.outerOf || dims.length !== 1 || dims[0] !== 0) return null;
  const { column, row } = a.outerOf;
  const [i, k] = column.shape, j = row.shape[2];
  const product = matmul2d(column.withShape([i, k]), row.withShape([i, j]), true, false);
  return keepdim ? product.withShape([1, k, j]) : product;
}

/** Re-insert size-1 dims removed by a keepdim=false reduction, so the result broadcasts against the input. */
export function keepDims(t: Tensor, inputShape: readonly number[], dims: number[], keepdim: boolean): Tensor {
  if (keepdim) return t;
  return t.withShape(inputShape.map((s, i) => (dims.includes(i) ? 1 : s)));
}

export function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  return broadcastTo(t, shape);
}

export function transpose2d(a: Tensor): Tensor {
  if (a.ndim === 2) return Tensor.transposed(a);
  return permute(a, a.ndim < 2 ? [...a.shape.keys()] : [...Array(a.ndim - 2).keys(), a.ndim - 1, a.ndim - 2]);
}

/** op(a) @ op(b) for 2-D float operands, transposes folded into the kernel instead of copied. */
export function matmul2d(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  // A transposed view is read as its source with the flag flipped.
  if (a.transposeOf) { a = a.transposeOf; transA = !transA; }
  if (b.transposeOf) { b = b.transposeOf; transB = !transB; }
  const A = float(a), B = float(b);
  const m = transA ? A.shape[1] : A.shape[0], k = transA ? A.shape[0] : A.shape[1];
  const n = transB ? B.shape[0] : B.shape[1];
  const be = backend();
  const out = be.allocateProduct?.(m * n) ?? allocate('float32', m * n) as Float32Array;
  be.matmul(A.data as Float32Array, B.data as Float32Array, out, m, k, n, transA, transB);
  return new Tensor([m, n], 'float32', out);
}

export function permute(a: Tensor, order: number[]): Tensor {
  const nd = a.ndim;
  if (order.length !== nd || new Set(order).size !== nd) {
    throw new ShapeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${nd} is not equal to len(dims) = ${order.length}`);
  }
  const dims = order.map((d) => normalizeDim(d, nd, 'permute'));
  if (dims.every((d, i) => d === i)) return a;
  const shape = dims.map((d) => a.shape[d]);
  const inStrides = stridesOf(a.shape);
  const src = dims.map((d) => inStrides[d]);
  const out = allocate(a.dtype, a.size);
  const ad = a.data;
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let o = 0; o < a.size; o++) {
    out[o] = ad[off];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++; off += src[d];
      if (idx[d] < shape[d]) break;
      off -= src[d] * shape[d]; idx[d] = 0;
    }
  }
  return new Tensor(shape, a.dtype, out);
}

/** torch.matmul semantics: 1-d operands are promoted then squeezed; leading dims broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.ndim === 2 && b.ndim === 2 && a.shape[1] === b.shape[0]) return matmul2d(a, b, false, false);
  const a2 = a.ndim === 1 ? a.withShape([1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? b.withShape([b.shape[0], 1]) : b;
  const m = a2.shape[a2.ndim - 2], k = a2.shape[a2.ndim - 1];
  const k2 = b2.shape[b2.ndim - 2], n = b2.shape[b2.ndim - 1];
  if (k !== k2) {
    throw new ShapeError(a.ndim === 1 && b.ndim === 1
      ? `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`
      : `mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${k2}x${n}) — shapes ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  }
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), 'matmul');
  const nb = batch.reduce((x, y) => x * y, 1);
  const A = broadcastTo(float(a2), [...batch, m, k]);
  const B = broadcastTo(float(b2), [...batch, k, n]);
  const out = allocate('float32', nb * m * n) as Float32Array;
  const be = backend();
  for (let i = 0; i < nb; i++) {
    be.matmul(
      (A.data as Float32Array).subarray(i * m * k, (i + 1) * m * k),
      (B.data as Float32Array).subarray(i * k * n, (i + 1) * k * n),
      out.subarray(i * m * n, (i + 1) * m * n), m, k, n, false, false);
  }
  const shape = [...batch, m, n];
  if (a.ndim === 1) shape.splice(shape.length - 2, 1);
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  return new Tensor(shape, 'float32', out);
}

export function maxAlong(a: Tensor, dim: number, keepdim: boolean) {
  return extremeAlong(a, normalizeDim(dim, a.ndim, 'max'), keepdim, 1);
}
