// Ops over several tensors: cat, stack, where.
import { ShapeError } from '../errors';
import { select } from '../kernels/elementwise';
import { formatShape, normalizeDim, promote, Tensor } from '../tensor';
import * as T from './math';
import { defineOp, type Params } from './row';
import { narrow, placeAlong } from './shape';

interface DimParams extends Params { dim?: number }

function catForward(inputs: readonly Tensor[], dim: number, op: string): Tensor {
  if (!inputs.length) throw new ShapeError(`${op}(): expected a non-empty list of Tensors`);
  const first = inputs[0];
  const d = normalizeDim(dim, first.ndim, op);
  inputs.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      throw new ShapeError(`${op}(): Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape.map((s, k) => (k === d ? '*' : s)).join('×')} but got ${formatShape(t.shape)} for tensor number ${i} in the list.`);
    }
  });
  const shape = [...first.shape];
  shape[d] = inputs.reduce((n, t) => n + t.shape[d], 0);
  const out = Tensor.zeros(shape, promote(...inputs.map((t) => t.dtype)));
  let at = 0;
  for (const t of inputs) { placeAlong(t.to(out.dtype), shape, d, at, out); at += t.shape[d]; }
  return out;
}

function offsetOf(inputs: readonly Tensor[], index: number, dim: number): number {
  let at = 0;
  for (let i = 0; i < index; i++) at += inputs[i].shape[dim];
  return at;
}

function unsqueezed(t: Tensor, dim: number): Tensor {
  const shape = [...t.shape];
  shape.splice(dim, 0, 1);
  return t.withShape(shape);
}

export const joinOps = [
  defineOp<DimParams>({
    name: 'cat', inputNames: ['tensors'], variadic: true, differentiable: true,
    formulas: ['grad.narrow(dim, offset_i, tensors[i].shape[dim])'],
    forward: (inputs, { dim = 0 }) => catForward(inputs, dim, 'cat'),
    vjps: [({ grad, inputs, index, params: { dim = 0 } }) => {
      const d = normalizeDim(dim, grad.ndim, 'cat');
      return narrow(grad, d, offsetOf(inputs, index, d), inputs[index].shape[d]);
    }],
  }),
  defineOp<DimParams>({
    name: 'stack', inputNames: ['tensors'], variadic: true, differentiable: true,
    formulas: ['grad.select(dim, i)'],
    forward: (inputs, { dim = 0 }) => {
      const first = inputs[0];
      inputs.forEach((t, i) => {
        if (t.ndim !== first.ndim || t.shape.some((s, k) => s !== first.shape[k])) {
          throw new ShapeError(`stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
        }
      });
      const d = normalizeDim(dim, first.ndim + 1, 'stack');
      return catForward(inputs.map((t) => unsqueezed(t, d)), d, 'stack');
    },
    vjps: [({ grad, inputs, index, params: { dim = 0 } }) => {
      const d = normalizeDim(dim, grad.ndim, 'stack');
      return narrow(grad, d, index, 1).withShape(inputs[index].shape);
    }],
  }),
  defineOp({
    name: 'where', inputNames: ['condition', 'a', 'b'], differentiable: true, nonDifferentiableInputs: [0],
    formulas: ['not differentiable (mask)', 'where(condition, grad, 0)', 'where(condition, 0, grad)'],
    forward: ([c, a, b]) => select(c, a, b, promote(a.dtype, b.dtype)),
    vjps: [
      ({ inputs }) => Tensor.zeros(inputs[0].shape),
      ({ grad, inputs: [c] }) => select(c, grad, T.scalar(0), 'float32'),
      ({ grad, inputs: [c] }) => select(c, T.scalar(0), grad, 'float32'),
    ],
  }),
];
