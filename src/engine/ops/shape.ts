// Shape ops: same numbers, new arrangement. VJPs undo the arrangement.
import { ShapeError } from '../errors';
import { allocate, formatShape, normalizeDim, numel, Tensor } from '../tensor';
import * as T from './math';
import { defineOp, type Params } from './row';

interface ShapeParams extends Params { shape: number[] }
interface DimParams extends Params { dim: number }
interface DimsParams extends Params { dims: number[] }
interface Dim2Params extends Params { dim0: number; dim1: number }
interface SqueezeParams extends Params { dim?: number | null }
interface NarrowParams extends Params { dim: number; start: number; length: number }

/** Resolve a single -1 and check the element count, with PyTorch's message. */
export function inferShape(shape: readonly number[], size: number): number[] {
  const out = [...shape];
  const free = out.indexOf(-1);
  if (free >= 0) {
    const known = out.reduce((n, d, i) => (i === free ? n : n * d), 1);
    if (known === 0 || size % known !== 0) throw new ShapeError(`shape '${formatShape(shape)}' is invalid for input of size ${size}`);
    out[free] = size / known;
  }
  if (numel(out) !== size || out.some((d) => d < 0)) throw new ShapeError(`shape '${formatShape(shape)}' is invalid for input of size ${size}`);
  return out;
}

const reshapeRow = (name: string) => defineOp<ShapeParams>({
  name, inputNames: ['a'], differentiable: true, formulas: ['grad.reshape(a.shape)'],
  forward: ([a], { shape }) => a.withShape(inferShape(shape, a.size)),
  vjps: [({ grad, inputs }) => grad.withShape(inputs[0].shape)],
});

export const shapeOps = [
  reshapeRow('view'),
  reshapeRow('reshape'),
  reshapeRow('flatten'),
  defineOp({
    name: 't', inputNames: ['a'], differentiable: true, formulas: ['grad.t()'],
    forward: ([a]) => {
      if (a.ndim > 2) throw new ShapeError(`t() expects a tensor with <= 2 dimensions, but self is ${a.ndim}D`);
      return T.transpose2d(a);
    },
    vjps: [({ grad }) => T.transpose2d(grad)],
  }),
  defineOp<Dim2Params>({
    name: 'transpose', inputNames: ['a'], differentiable: true, formulas: ['grad.transpose(dim0, dim1)'],
    forward: ([a], { dim0, dim1 }) => T.permute(a, swapOrder(a.ndim, dim0, dim1)),
    vjps: [({ grad, params: { dim0, dim1 } }) => T.permute(grad, swapOrder(grad.ndim, dim0, dim1))],
  }),
  defineOp<DimsParams>({
    name: 'permute', inputNames: ['a'], differentiable: true, formulas: ['grad.permute(argsort(dims))'],
    forward: ([a], { dims }) => T.permute(a, dims),
    vjps: [({ grad, params: { dims } }) => {
      const nd = grad.ndim, inverse = new Array<number>(nd);
      dims.forEach((d, i) => { inverse[normalizeDim(d, nd, 'permute')] = i; });
      return T.permute(grad, inverse);
    }],
  }),
  defineOp<DimParams>({
    name: 'unsqueeze', inputNames: ['a'], differentiable: true, formulas: ['grad.squeeze(dim)'],
    forward: ([a], { dim }) => {
      const d = normalizeDim(dim, a.ndim + 1, 'unsqueeze');
      const shape = [...a.shape];
      shape.splice(d, 0, 1);
      return a.withShape(shape);
    },
    vjps: [({ grad, inputs }) => grad.withShape(inputs[0].shape)],
  }),
  defineOp<SqueezeParams>({
    name: 'squeeze', inputNames: ['a'], differentiable: true, formulas: ['grad.reshape(a.shape)'],
    forward: ([a], { dim }) => {
      if (dim === null || dim === undefined) return a.withShape(a.shape.filter((s) => s !== 1));
      const d = normalizeDim(dim, a.ndim, 'squeeze');
      return a.ndim && a.shape[d] === 1 ? a.withShape(a.shape.filter((_, i) => i !== d)) : a.withShape(a.shape);
    },
    vjps: [({ grad, inputs }) => grad.withShape(inputs[0].shape)],
  }),
  defineOp<ShapeParams>({
    // The engine sums the gradient back over the expanded dims: expand is broadcasting made explicit.
    name: 'expand', inputNames: ['a'], differentiable: true, formulas: ['grad.sum(expanded dims)'],
    forward: ([a], { shape }) => {
      const lead = shape.length - a.ndim;
      if (lead < 0) throw new ShapeError(`expand: the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${a.ndim})`);
      const target = shape.map((s, i) => (s === -1 && i >= lead ? a.shape[i - lead] : s));
      target.forEach((s, i) => {
        const src = i >= lead ? a.shape[i - lead] : 1;
        if (src !== 1 && src !== s) throw new ShapeError(`The expanded size of the tensor (${s}) must match the existing size (${src}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(shape)}.  Tensor sizes: ${formatShape(a.shape)}`);
      });
      return T.expandTo(a, target);
    },
    vjps: [({ grad }) => grad],
  }),
  defineOp<NarrowParams>({
    name: 'narrow', inputNames: ['a'], differentiable: true, formulas: ['zeros(a.shape) with grad at [start:start+length] along dim'],
    forward: ([a], { dim, start, length }) => narrow(a, normalizeDim(dim, a.ndim, 'narrow'), start, length),
    vjps: [({ grad, inputs, params: { dim, start } }) => {
      const a = inputs[0], d = normalizeDim(dim, a.ndim, 'narrow');
      return placeAlong(grad, a.shape, d, start);
    }],
  }),
];

function swapOrder(ndim: number, d0: number, d1: number): number[] {
  const order = [...Array(ndim).keys()];
  const a = normalizeDim(d0, ndim, 'transpose'), b = normalizeDim(d1, ndim, 'transpose');
  if (ndim) [order[a], order[b]] = [order[b], order[a]];
  return order;
}

/** Slice [start, start+length) along `dim`. */
export function narrow(a: Tensor, dim: number, start: number, length: number): Tensor {
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= a.shape[i];
  for (let i = dim + 1; i < a.ndim; i++) inner *= a.shape[i];
  const size = a.shape[dim];
  const shape = [...a.shape];
  shape[dim] = length;
  const out = allocate(a.dtype, outer * length * inner);
  for (let o = 0; o < outer; o++) out.set(a.data.subarray((o * size + start) * inner, (o * size + start + length) * inner), o * length * inner);
  return new Tensor(shape, a.dtype, out);
}

/** A zero tensor of `shape` with `part` written at `start` along `dim` (the VJP of narrow and cat). */
export function placeAlong(part: Tensor, shape: readonly number[], dim: number, start: number, into?: Tensor): Tensor {
  const out = into ?? Tensor.zeros(shape, part.dtype);
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim], len = part.ndim ? part.shape[dim] : 1;
  for (let o = 0; o < outer; o++) out.data.set(part.data.subarray(o * len * inner, (o + 1) * len * inner), (o * size + start) * inner);
  return out;
}
