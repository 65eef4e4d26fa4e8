// Elementwise kernels over contiguous tensors, with broadcasting by stride-0 walks.
import { broadcastShapes, broadcastStrides, coalesce, sameShape } from '../broadcast';
import { allocate, CHUNK, numel, Tensor, type DType } from '../tensor';
import { backend, BINARY_OPS, NATIVE_MIN, type BinaryOp } from './backend';

export type Binary = (x: number, y: number) => number;
export type Unary = (x: number) => number;

/**
 * `fn` over every element. A hot op names itself (`op`) to run its loop from `unaryLoops`, which
 * must compute exactly what `fn` does; the others pay a closure call per element.
 */
export function map(x: Tensor, fn: Unary, dtype: DType = x.dtype, op?: string): Tensor {
  const loop = op && dtype === 'float32' ? unaryLoops[op] : undefined;
  return mapChunks(x, dtype, loop ?? ((out, d, a, b) => mapRange(out, d, fn, a, b)));
}

type UnaryLoop = (out: Data, d: Data, from: number, to: number) => void;

/** A new tensor of x's shape, filled chunk by chunk by `loop`. */
function mapChunks(x: Tensor, dtype: DType, loop: UnaryLoop): Tensor {
  const out = allocate(dtype, x.size);
  const d = x.data;
  for (let a = 0; a < out.length; a += CHUNK) loop(out, d, a, Math.min(a + CHUNK, out.length));
  return new Tensor([...x.shape], dtype, out);
}

// The float32 unary ops that big tensors meet most, with the function written out (see rowKernels).
const unaryLoops: Record<string, UnaryLoop> = {
  neg: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = -d[i]; },
  abs: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = Math.abs(d[i]); },
  exp: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = Math.exp(d[i]); },
  log: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = Math.log(d[i]); },
  sqrt: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = Math.sqrt(d[i]); },
  tanh: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = Math.tanh(d[i]); },
  sigmoid: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = 1 / (1 + Math.exp(-d[i])); },
  square: (out, d, a, b) => { for (let i = a; i < b; i++) out[i] = d[i] * d[i]; },
  relu: (out, d, a, b) => { for (let i = a; i < b; i++) { const x = d[i]; out[i] = x < 0 ? 0 : x; } },
};

/** clamp(x, min, max) of a float32 tensor (NaN stays NaN); a bound left out is ±Infinity. */
export function clampFloat(x: Tensor, min: number, max: number): Tensor {
  if (min > max) min = max; // PyTorch: every element becomes max (NaN stays NaN)
  const native = nativeFor(x.size, min, max, x);
  if (native) {
    const out = allocate('float32', x.size) as Float32Array;
    native.clamp(out, x.data as Float32Array, min, max);
    return new Tensor([...x.shape], 'float32', out);
  }
  return mapChunks(x, 'float32', (out, d, a, b) => clampRange(out, d, min, max, a, b));
}

/** The backend's native float32 loops, for n elements of float32 tensors with bounds that are numbers. */
function nativeFor(n: number, min: number, max: number, ...tensors: Tensor[]) {
  const native = backend().elementwise;
  return native && n >= NATIVE_MIN && min === min && max === max && tensors.every((t) => t.dtype === 'float32') ? native : undefined;
}

// Branch-free: a data-dependent branch per element (half the values below a ReLU's 0) was
// mispredicted half the time and made these loops 3–4× slower. The comparisons become 0/1 numbers
// without a branch; `pick` chooses between x and a bound by index. NaN compares false: stays NaN.
function clampRange(out: Data, d: Data, min: number, max: number, from: number, to: number): void {
  const pick = new Float64Array(3);
  pick[1] = min; pick[2] = max;
  for (let i = from; i < to; i++) {
    const x = d[i];
    pick[0] = x;
    out[i] = pick[+(x < min) | (+(x > max) << 1)];
  }
}

/**
 * clamp's gradient: grad where min <= x <= max, else 0 (PyTorch's where(mask, grad, 0): an inf
 * or NaN gradient outside the range gives 0, not NaN), in one pass.
 */
export function clampGradient(grad: Tensor, x: Tensor, min: number, max: number): Tensor {
  const out = allocate('float32', x.size), g = grad.data, d = x.data;
  const native = nativeFor(x.size, min, max, x, grad);
  if (native && min <= max) {
    native.clampGradient(out as Float32Array, g as Float32Array, d as Float32Array, min, max);
    return new Tensor([...x.shape], 'float32', out);
  }
  for (let a = 0; a < out.length; a += CHUNK) clampGradientRange(out, g, d, min, max, a, Math.min(a + CHUNK, out.length));
  return new Tensor([...x.shape], 'float32', out);
}

function clampGradientRange(out: Data, g: Data, d: Data, min: number, max: number, from: number, to: number): void {
  const pick = new Float64Array(2); // [0, grad]
  for (let i = from; i < to; i++) {
    const x = d[i];
    pick[1] = g[i];
    out[i] = pick[+(x >= min) & +(x <= max)];
  }
}

/** x * s in float32 (s stays a double until the product is rounded, as map(x => x * s) does). */
export function scaleFloat(x: Tensor, s: number): Tensor {
  return mapChunks(x, 'float32', (out, d, a, b) => scaleRange(out, d, s, a, b));
}

function scaleRange(out: Data, d: Data, s: number, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = d[i] * s;
}

/**
 * PyTorch's isclose in one pass: a == b, or |a - b| <= atol + |rtol * b| with a finite |a - b|,
 * or both NaN when equalNan. The tolerance is float32 arithmetic whatever the dtypes (an integer
 * |a - b| is rounded to float32 to be compared), as in PyTorch.
 */
export function isclose(a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean): Tensor {
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape, 'isclose');
  const ad = broadcastTo(a, shape).data, bd = broadcastTo(b, shape).data;
  const out = allocate('bool', numel(shape));
  const integral = a.dtype === 'int64';
  for (let i = 0; i < out.length; i += CHUNK) {
    iscloseRange(out, ad, bd, Math.fround(rtol), Math.fround(atol), equalNan, integral, i, Math.min(i + CHUNK, out.length));
  }
  return new Tensor(shape, 'bool', out);
}

// Most elements are far from the boundary: decide those with the float64 error, and redo only
// those within a relative 1e-6 of it, or outside float32's normal range, in PyTorch's float32
// arithmetic (each of the four roundings moves a value by at most 6e-8 of itself).
const NEAR_BELOW = 1 - 1e-6, NEAR_ABOVE = 1 + 1e-6;
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38, FLOAT32_MAX = 3.4028234663852886e38;

function iscloseRange(out: Data, a: Data, b: Data, rtol: number, atol: number, equalNan: boolean, integral: boolean, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const x = a[i], y = b[i];
    if (x === y) { out[i] = 1; continue; }
    const error = Math.abs(x - y), allowed = atol + Math.abs(rtol * y);
    if (allowed > FLOAT32_MIN_NORMAL && allowed < FLOAT32_MAX && error < FLOAT32_MAX) {
      if (error < allowed * NEAR_BELOW) { out[i] = 1; continue; }
      if (error > allowed * NEAR_ABOVE) { out[i] = 0; continue; }
    }
    const actual = integral ? Math.fround(error) : Math.abs(Math.fround(x - y));
    const bound = Math.fround(atol + Math.abs(Math.fround(rtol * Math.fround(y))));
    out[i] = +((actual - actual === 0 && actual <= bound) || (equalNan && x !== x && y !== y));
  }
}

/** A copy of the data (clone). */
export function copy(x: Tensor): Tensor {
  const out = allocate(x.dtype, x.size);
  out.set(x.data);
  return new Tensor([...x.shape], x.dtype, out);
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
// call per element: the closure call site is shared by every op, so V8 cannot inline it. The
// common strides (both contiguous, or one side a scalar) get loops of their own: without the
// stride multiplications they run about twice as fast.
const rowKernels: Record<string, RowKernel> = {
  add: (out, a, b, o, ia, ib, len, la, lb) => {
    if (la === 1 && lb === 1) for (let j = 0; j < len; j++) out[o + j] = a[ia + j] + b[ib + j];
    else if (la === 1 && lb === 0) { const y = b[ib]; for (let j = 0; j < len; j++) out[o + j] = a[ia + j] + y; }
    else for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] + b[ib + j * lb];
  },
  sub: (out, a, b, o, ia, ib, len, la, lb) => {
    if (la === 1 && lb === 1) for (let j = 0; j < len; j++) out[o + j] = a[ia + j] - b[ib + j];
    else if (la === 1 && lb === 0) { const y = b[ib]; for (let j = 0; j < len; j++) out[o + j] = a[ia + j] - y; }
    else for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] - b[ib + j * lb];
  },
  mul: (out, a, b, o, ia, ib, len, la, lb) => {
    if (la === 1 && lb === 1) for (let j = 0; j < len; j++) out[o + j] = a[ia + j] * b[ib + j];
    else if (la === 1 && lb === 0) { const y = b[ib]; for (let j = 0; j < len; j++) out[o + j] = a[ia + j] * y; }
    else for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] * b[ib + j * lb];
  },
  div: (out, a, b, o, ia, ib, len, la, lb) => {
    if (la === 1 && lb === 1) for (let j = 0; j < len; j++) out[o + j] = a[ia + j] / b[ib + j];
    else if (la === 1 && lb === 0) { const y = b[ib]; for (let j = 0; j < len; j++) out[o + j] = a[ia + j] / y; }
    else for (let j = 0; j < len; j++) out[o + j] = a[ia + j * la] / b[ib + j * lb];
  },
};

// Comparisons of any dtypes into bool (stored as 0/1 bytes). `x > 0` (a ReLU's mask) is the hot one.
const compareKernels: Record<string, RowKernel> = {
  eq: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j * la] === b[ib + j * lb]); },
  ne: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j * la] !== b[ib + j * lb]); },
  lt: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j * la] < b[ib + j * lb]); },
  le: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j * la] <= b[ib + j * lb]); },
  gt: (out, a, b, o, ia, ib, len, la, lb) => {
    if (la === 1 && lb === 0) { const y = b[ib]; for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j] > y); }
    else for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j * la] > b[ib + j * lb]);
  },
  ge: (out, a, b, o, ia, ib, len, la, lb) => { for (let j = 0; j < len; j++) out[o + j] = +(a[ia + j * la] >= b[ib + j * lb]); },
};

function rowKernelFor(op: string | undefined, dtype: DType): RowKernel | undefined {
  if (!op) return undefined;
  if (dtype === 'float32') return rowKernels[op];
  return dtype === 'bool' ? compareKernels[op] : undefined;
}

export function zip(a: Tensor, b: Tensor, fn: Binary, dtype: DType, op?: string): Tensor {
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape, op);
  const n = numel(shape);
  const out = allocate(dtype, n);
  const ad = a.data, bd = b.data;
  const row = rowKernelFor(op, dtype);
  if (row && zipNative(a, b, shape, out, op as BinaryOp)) return new Tensor(shape, dtype, out);
  if (row) {
    if (a.size === n && b.size === n) chunked(row, out, ad, bd, n, 1, 1);
    else if (a.size === n && b.size === 1) chunked(row, out, ad, bd, n, 1, 0);
    else if (a.size === 1 && b.size === n) chunked(row, out, ad, bd, n, 0, 1);
    else {
      const walk = coalesce(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape));
      walkRows(walk.shape, walk.sa, walk.sb, (o, ia, ib, len, la, lb) => row(out, ad, bd, o, ia, ib, len, la, lb));
    }
  } else if (a.size === n && b.size === n) {
    for (let i = 0; i < n; i++) out[i] = fn(ad[i], bd[i]);
  } else if (b.size === 1 && a.size === n) {
    const y = bd[0];
    for (let i = 0; i < n; i++) out[i] = fn(ad[i], y);
  } else if (a.size === 1 && b.size === n) {
    const x = ad[0];
    for (let i = 0; i < n; i++) out[i] = fn(x, bd[i]);
  } else {
    const walk = coalesce(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape));
    walk2(walk.shape, walk.sa, walk.sb, (o, ia, ib) => {
      out[o] = fn(ad[ia], bd[ib]);
    });
  }
  return new Tensor(shape, dtype, out);
}

/**
 * a op b through the backend's native loops, when it has them, the tensors are float32 and big,
 * and the broadcast walk is at most rows × a run (a bias over a batch); false to use the loops here.
 */
function zipNative(a: Tensor, b: Tensor, shape: number[], out: Tensor['data'], op: BinaryOp): boolean {
  const native = nativeFor(out.length, 0, 0, a, b);
  if (!native || !BINARY_OPS.includes(op)) return false;
  const n = out.length;
  let walk = { shape: [n], sa: [a.size === n ? 1 : 0], sb: [b.size === n ? 1 : 0] };
  if ((a.size !== n && a.size !== 1) || (b.size !== n && b.size !== 1)) {
    walk = coalesce(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape));
    if (walk.shape.length > 2) return false;
  }
  const last = walk.shape.length - 1, rows = last > 0 ? walk.shape[0] : 1;
  native.binary(op, out as Float32Array | Uint8Array, a.data as Float32Array, b.data as Float32Array, rows, walk.shape[last],
    0, last > 0 ? walk.sa[0] : 0, walk.sa[last], 0, last > 0 ? walk.sb[0] : 0, walk.sb[last]);
  return true;
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
  const walk = coalesce(shape, broadcastStrides(x.shape, shape), new Array(shape.length).fill(0));
  walk2(walk.shape, walk.sa, walk.sb, (o, ia) => { out[o] = xd[ia]; });
  return new Tensor([...shape], x.dtype, out);
}
