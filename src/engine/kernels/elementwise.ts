// Elementwise kernels over contiguous tensors, with broadcasting by stride-0 walks.
import { broadcastShapes, broadcastStrides, sameShape } from '../broadcast';
import { allocate, numel, Tensor, type DType } from '../tensor';

export type Binary = (x: number, y: number) => number;
export type Unary = (x: number) => number;

/** Big loops run in chunks: V8 optimises a hot function long before it replaces a running loop. */
const CHUNK = 16384;

export function map(x: Tensor, fn: Unary, dtype: DType = x.dtype): Tensor {
  const out = allocate(dtype, x.size);
  const d = x.data;
  for (let a = 0; a < out.length; a += CHUNK) mapRange(out, d, fn, a, Math.min(a + CHUNK, out.length));
  return new Tensor([...x.shape], dtype, out);
}

function mapRange(out: Tensor['data'], d: Tensor['data'], fn: Unary, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = fn(d[i]);
}

/** A row kernel over one contiguous run of n, in chunks. */
function chunked(row: RowKernel, out: Tensor['data'], a: Tensor['data'], b: Tensor['data'], n: number, la: number, lb: number): void {
  for (let o = 0; o < n; o += CHUNK) row(out, a, b, o, o * la, o * lb, Math.min(CHUNK, n - o), la, lb);
}

type Data = Tensor['data'];
type RowKernel = (out: Data, a: Data, b: Data, o: number, ia: number, ib: number, len: number, la: number, lb: number) => void;

// Arithmetic on float32 runs row by row with the operator written out, instead of one closure
// call per element: the closure call site is shared by every op, so V8 cannot inline it.
const rowKernels: Record<string, RowKernel> = {
  add: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] + b[ib + j * lb]; },
  sub: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] - b[ib + j * lb]; },
  mul: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] * b[ib + j * lb]; },
  div: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] / b[ib + j * lb]; },
};

export function zip(a: Tensor, b: Tensor, fn: Binary, dtype: DType, op?: string): Tensor {
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape, op);
  const n = numel(shape);
  const out = allocate(dtype, n);
  const ad = a.data, bd = b.data;
  const row = op && dtype === 'float32' ? rowKernels[op] : undefined;
  if (row) {
    if (a.size === n && b.size === n) chunked(row, out, ad, bd, n, 1, 1);
    else if (a.size === n && b.size === 1) chunked(row, out, ad, bd, n, 1, 0);
    else if (a.size === 1 && b.size === n) chunked(row, out, ad, bd, n, 0, 1);
    else walkRows(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape), (o, ia, ib, len, la, lb) => row(out, ad, bd, o, ia, ib, len, la, lb));
  } else if (a.size === n && b.size === n) {
    for (let i = 0; i < n; i++) out[i] = fn(ad[i], bd[i]);
  } else if (b.size === 1 && a.size === n) {
    const y = bd[0];
    for (let i = 0; i < n; i++) out[i] = fn(ad[i], y);
  } else if (a.size === 1 && b.size === n) {
    const x = ad[0];
    for (let i = 0; i < n; i++) out[i] = fn(x, bd[i]);
  } else {
    walk2(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape), (o, ia, ib) => {
      out[o] = fn(ad[ia], bd[ib]);
    });
  }
  return new Tensor(shape, dtype, out);
}

/** where(cond, a, b) with three-way broadcasting. */
export function select(cond: Tensor, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
  const out = allocate(dtype, numel(shape));
  const sc = broadcastStrides(cond.shape, shape);
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const cd = cond.data, ad = a.data, bd = b.data;
  const idx = new Array<number>(shape.length).fill(0);
  let ic = 0, ia = 0, ib = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = cd[ic] ? ad[ia] : bd[ib];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++; ic += sc[d]; ia += sa[d]; ib += sb[d];
      if (idx[d] < shape[d]) break;
      ic -= sc[d] * shape[d]; ia -= sa[d] * shape[d]; ib -= sb[d] * shape[d]; idx[d] = 0;
    }
  }
  return new Tensor(shape, dtype, out);
}

/** Visit every output position of `shape` with the matching offsets into two strided inputs. */
export function walk2(shape: readonly number[], sa: number[], sb: number[], visit: (o: number, ia: number, ib: number) => void): void {
  walkRows(shape, sa, sb, (o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) visit(o + j, ia + j * la, ib + j * lb); });
}

/** Visit each innermost row of `shape`: its output offset, input offsets, length and input strides. */
export function walkRows(shape: readonly number[], sa: number[], sb: number[],
  visit: (o: number, ia: number, ib: number, len: number, la: number, lb: number) => void): void {
  const n = numel(shape);
  const nd = shape.length;
  if (nd === 0) { if (n === 1) visit(0, 0, 0, 1, 0, 0); return; }
  const last = nd - 1;
  const len = shape[last], la = sa[last], lb = sb[last];
  if (len === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let ia = 0, ib = 0;
  for (let o = 0; o < n; o += len) {
    visit(o, ia, ib, len, la, lb);
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++; ia += sa[d]; ib += sb[d];
      if (idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d]; ib -= sb[d] * shape[d]; idx[d] = 0;
    }
  }
}

/** Materialise `x` broadcast to `shape` (expand). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return x;
  const out = allocate(x.dtype, numel(shape));
  const xd = x.data;
  walk2(shape, broadcastStrides(x.shape, shape), new Array(shape.length).fill(0), (o, ia) => { out[o] = xd[ia]; });
  return new Tensor([...shape], x.dtype, out);
}
