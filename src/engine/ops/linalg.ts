// Matrix products and losses.
import { ShapeError } from '../errors';
import { map } from '../kernels/elementwise';
import { normalizeDims, sumDims } from '../kernels/reduce';
import { allocate, formatShape, Tensor } from '../tensor';
import * as T from './math';
import { softmaxForward } from './reductions';
import { defineOp, type Params } from './row';

type Reduction = 'mean' | 'sum' | 'none';
interface LossParams extends Params { reduction?: Reduction }

/** d matmul / d a for any ranks: 1-d operands are viewed as matrices, batch dims are summed by the engine. */
function matmulGrad(grad: Tensor, a: Tensor, b: Tensor, which: 0 | 1): Tensor {
  if (a.ndim === 2 && b.ndim === 2) return which === 0 ? T.matmul2d(grad, b, false, true) : T.matmul2d(a, grad, true, false);
  const a2 = a.ndim === 1 ? a.withShape([1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? b.withShape([b.shape[0], 1]) : b;
  let g = grad;
  if (a.ndim === 1 && b.ndim === 1) g = grad.withShape([1, 1]);
  else if (a.ndim === 1) g = grad.withShape([...grad.shape.slice(0, -1), 1, grad.shape[grad.ndim - 1]]);
  else if (b.ndim === 1) g = grad.withShape([...grad.shape, 1]);
  if (which === 0) {
    const r = T.matmul(g, T.transpose2d(T.float(b2)));
    return a.ndim === 1 ? T.sum(r, [...Array(r.ndim - 1).keys()], false) : r;
  }
  const r = T.matmul(T.transpose2d(T.float(a2)), g);
  return b.ndim === 1 ? T.sum(r.withShape(r.shape.slice(0, -1)), [...Array(r.ndim - 2).keys()], false) : r;
}

function reduce(t: Tensor, reduction: Reduction | undefined, count: number): Tensor {
  if (reduction === 'none') return t;
  const s = sumDims(t, normalizeDims(null, t.ndim, 'loss'), false);
  return reduction === 'sum' ? s : T.scale(s, 1 / count);
}

function reducedGrad(grad: Tensor, reduction: Reduction | undefined, count: number): Tensor {
  return reduction === 'mean' || reduction === undefined ? T.scale(grad, 1 / count) : grad;
}

function checkTargets(logits: Tensor, target: Tensor, op: string): void {
  if (logits.ndim !== 2 && logits.ndim !== 1) throw new ShapeError(`${op}: Gradlens supports input of shape (N, C) or (C,), got ${formatShape(logits.shape)}`);
  if (target.dtype !== 'int64') throw new ShapeError(`${op}: expected target of dtype int64 (class indices), got ${target.dtype} ${formatShape(target.shape)}`);
  const n = logits.ndim === 2 ? logits.shape[0] : 1;
  if (target.size !== n) throw new ShapeError(`${op}: Expected input batch_size (${n}) to match target batch_size (${target.size}).`);
  const c = logits.shape[logits.ndim - 1];
  for (let i = 0; i < target.size; i++) {
    const t = target.data[i];
    if (t < 0 || t >= c) throw new ShapeError(`${op}: Target ${t} is out of bounds (${c} classes).`);
  }
}

/** -logp[i, target[i]] per row. */
function pick(logp: Tensor, target: Tensor): Tensor {
  const c = logp.shape[logp.ndim - 1];
  const out = allocate('float32', target.size);
  for (let i = 0; i < target.size; i++) out[i] = -logp.data[i * c + target.data[i]];
  return new Tensor(logp.ndim === 2 ? [target.size] : [], 'float32', out);
}

/** d nll / d logp: -grad at each row's target, spread from the (maybe reduced) grad. */
function scatterTargets(grad: Tensor, logp: Tensor, target: Tensor, reduction: Reduction | undefined): Tensor {
  const c = logp.shape[logp.ndim - 1];
  const g = reducedGrad(grad, reduction, target.size);
  const out = allocate('float32', logp.size);
  for (let i = 0; i < target.size; i++) out[i * c + target.data[i]] = -(g.size === 1 ? g.data[0] : g.data[i]);
  return new Tensor([...logp.shape], 'float32', out);
}

export const linalgOps = [
  defineOp({
    name: 'matmul', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad @ b.T', 'a.T @ grad'],
    forward: ([a, b]) => T.matmul(a, b),
    vjps: [({ grad, inputs: [a, b] }) => matmulGrad(grad, a, b, 0), ({ grad, inputs: [a, b] }) => matmulGrad(grad, a, b, 1)],
  }),
  defineOp<LossParams>({
    name: 'mse_loss', inputNames: ['input', 'target'], differentiable: true,
    formulas: ['grad * 2 * (input - target) / n', '-grad * 2 * (input - target) / n'],
    forward: ([x, y], { reduction }) => {
      const d = T.sub(x, y);
      return reduce(T.mul(d, d), reduction, d.size);
    },
    vjps: [0, 1].map((i) => ({ grad, inputs: [x, y], params: { reduction } }) => {
      const d = T.sub(x, y);
      const g = T.mul(reducedGrad(grad, reduction, d.size), T.scale(d, 2));
      return i === 0 ? g : T.neg(g);
    }),
  }),
  defineOp<LossParams>({
    name: 'nll_loss', inputNames: ['input', 'target'], differentiable: true, nonDifferentiableInputs: [1],
    formulas: ['-grad / n at [i, target[i]], 0 elsewhere', 'not differentiable (class indices)'],
    forward: ([logp, target], { reduction }) => {
      checkTargets(logp, target, 'nll_loss');
      return reduce(pick(logp, target), reduction, target.size);
    },
    vjps: [({ grad, inputs: [logp, target], params: { reduction } }) => scatterTargets(grad, logp, target, reduction), zerosLike],
  }),
  defineOp<LossParams>({
    name: 'cross_entropy', inputNames: ['input', 'target'], differentiable: true, nonDifferentiableInputs: [1],
    formulas: ['grad * (softmax(input) - one_hot(target)) / n', 'not differentiable (class indices)'],
    forward: ([logits, target], { reduction }) => {
      checkTargets(logits, target, 'cross_entropy');
      return reduce(pick(softmaxForward(logits, -1, true), target), reduction, target.size);
    },
    vjps: [({ grad, inputs: [logits, target], params: { reduction } }) => {
      const p = map(softmaxForward(logits, -1, true), Math.exp);
      const g = reducedGrad(grad, reduction, target.size);
      const c = logits.shape[logits.ndim - 1];
      const out = p.data as Float32Array;
      for (let i = 0; i < target.size; i++) {
        const gi = g.size === 1 ? g.data[0] : g.data[i];
        for (let j = 0; j < c; j++) out[i * c + j] *= gi;
        out[i * c + target.data[i]] -= gi;
      }
      return p;
    }, zerosLike],
  }),
];

function zerosLike({ inputs, index }: { inputs: readonly Tensor[]; index: number }): Tensor {
  return Tensor.zeros(inputs[index].shape);
}
