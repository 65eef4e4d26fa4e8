// Reductions. Sums accumulate in float64 so results match PyTorch's float32 sums within 1e-6.
import { allocate, CHUNK, normalizeDim, numel, Tensor } from '../tensor';
import { backend, NATIVE_MIN } from './backend';

/** Split `shape` around `dim` into [outer, size, inner] so a reduction along dim is three loops. */
export function around(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape.length ? shape[dim] : 1, inner];
}

export function normalizeDims(dims: number | number[] | null | undefined, ndim: number, op: string): number[] {
  if (dims === null || dims === undefined) return [...Array(ndim).keys()];
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = [...new Set(list.map((d) => normalizeDim(d, ndim, op)))].sort((a, b) => a - b);
  return ndim === 0 ? [] : out;
}

export function reducedShape(shape: readonly number[], dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, i) => {
    if (!dims.includes(i)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** Sum over `dims` (sorted, normalized). (sum(0) of a deferred outer product is a float32 matrix product instead: ops/math.ts contractOuter.) */
export function sumDims(x: Tensor, dims: number[], keepdim: boolean): Tensor {
  const shape = reducedShape(x.shape, dims, keepdim);
  const dtype = x.dtype === 'bool' ? 'int64' : x.dtype;
  if (dims.length === 0) return new Tensor(shape, dtype, x.dtype === dtype ? x.data.slice() : Float64Array.from(x.data));
  const acc = new Float64Array(numel(shape));
  const xd = x.data;
  const { sizes, reduced } = mergeRuns(x.shape, dims);
  // Output stride per (merged) input dim: 0 on reduced dims.
  const nd = sizes.length;
  const ostr = new Array<number>(nd).fill(0);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    if (!reduced[i]) { ostr[i] = s; s *= sizes[i]; }
  }
  const native = backend().elementwise;
  if (native && x.dtype === 'float32' && x.size >= NATIVE_MIN && nd === 2 && reduced[0] && !reduced[1]) {
    native.sumColumns(acc, xd as Float32Array, sizes[0], sizes[1]); // sum(0) of a batch: the same sums
  } else {
    addRuns(acc, xd, x.size, sizes, ostr);
  }
  const out = allocate(dtype, acc.length);
  out.set(acc);
  return new Tensor(shape, dtype, out);
}

/** acc[o] += each element of xd, o the element's place in the result (ostr per merged dim). */
function addRuns(acc: Float64Array, xd: Tensor['data'], size: number, sizes: number[], ostr: number[]) {
  const nd = sizes.length, last = nd - 1;
  const len = nd ? sizes[last] : 1, lstr = nd ? ostr[last] : 0;
  const idx = new Array<number>(nd).fill(0);
  let o = 0;
  for (let i = 0; i < size; i += len) {
    if (lstr === 0) { let t = 0; for (let j = 0; j < len; j++) t += xd[i + j]; acc[o] += t; }
    else for (let j = 0; j < len; j++) acc[o + j] += xd[i + j];
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++; o += ostr[d];
      if (idx[d] < sizes[d]) break;
      o -= ostr[d] * sizes[d]; idx[d] = 0;
    }
  }
}

/** Neighbouring dims that are both reduced or both kept, merged (size-1 dims dropped): long rows. */
function mergeRuns(shape: readonly number[], dims: number[]): { sizes: number[]; reduced: boolean[] } {
  const sizes: number[] = [], reduced: boolean[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const r = dims.includes(d);
    if (reduced.length && reduced[reduced.length - 1] === r) sizes[sizes.length - 1] *= size;
    else { sizes.push(size); reduced.push(r); }
  });
  return { sizes, reduced };
}

/** Max or min along one dim: values and the index of the first extreme (NaN wins, like PyTorch). */
export function extremeAlong(x: Tensor, dim: number, keepdim: boolean, sign: 1 | -1): { values: Tensor; indices: Tensor } {
  const [outer, size, inner] = around(x.shape, dim);
  const shape = reducedShape(x.shape, x.ndim ? [dim] : [], keepdim);
  const values = allocate(x.dtype, outer * inner);
  const indices = allocate('int64', outer * inner);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = xd[o * size * inner + i], at = 0;
      for (let j = 1; j < size && !Number.isNaN(best); j++) {
        const v = xd[(o * size + j) * inner + i];
        if (Number.isNaN(v) || (sign > 0 ? v > best : v < best)) { best = v; at = j; }
      }
      values[o * inner + i] = best;
      indices[o * inner + i] = at;
    }
  }
  return { values: new Tensor(shape, x.dtype, values), indices: new Tensor(shape, 'int64', indices) };
}

/** Apply `fn` to each 1-D fiber along `dim` (softmax and friends), writing a same-shaped float32 result. */
export function eachFiber(x: Tensor, dim: number, fn: (read: (j: number) => number, write: (j: number, v: number) => void, size: number) => void): Tensor {
  const [outer, size, inner] = around(x.shape, dim);
  const out = allocate('float32', x.size);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      fn((j) => xd[base + j * inner], (j, v) => { out[base + j * inner] = v; }, size);
    }
  }
  return new Tensor([...x.shape], 'float32', out);
}

/** How many elements each reduction over `dims` combines. */
export function countOf(shape: readonly number[], dims: number[]): number {
  return dims.reduce((n, d) => n * shape[d], 1);
}

/** all() / any() of every element, as a bool scalar: stops at the first element that decides. */
export function truthOfAll(x: Tensor, all: boolean): Tensor {
  const d = x.data;
  let decided = false;
  for (let a = 0; a < d.length && !decided; a += CHUNK) decided = findTruth(d, all, a, Math.min(a + CHUNK, d.length));
  return Tensor.scalar(+(all !== decided), 'bool');
}

/** Whether [from, to) holds a zero (for all) or a non-zero (for any). NaN counts as true. */
function findTruth(d: Tensor['data'], all: boolean, from: number, to: number): boolean {
  if (all) { for (let i = from; i < to; i++) if (d[i] === 0) return true; }
  else { for (let i = from; i < to; i++) if (d[i] !== 0) return true; }
  return false;
}

/** all(dim) / any(dim): bool along one dim. */
export function truthAlong(x: Tensor, dim: number, keepdim: boolean, all: boolean): Tensor {
  const [outer, size, inner] = around(x.shape, dim);
  const out = allocate('bool', outer * inner);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let truth = all;
      for (let j = 0; j < size && truth === all; j++) truth = xd[(o * size + j) * inner + i] !== 0;
      out[o * inner + i] = +truth;
    }
  }
  return new Tensor(reducedShape(x.shape, x.ndim ? [dim] : [], keepdim), 'bool', out);
}
