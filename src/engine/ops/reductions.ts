// Reductions with dim/keepdim, and the softmax family (each one node: never lowered to primitives).
import { ShapeError, UnsupportedError } from '../errors';
import { map, zip } from '../kernels/elementwise';
import { countOf, eachFiber, extremeAlong, normalizeDims, sumDims, truthAlong, truthOfAll } from '../kernels/reduce';
import { allocate, normalizeDim, scalarTypeName, Tensor } from '../tensor';
import * as T from './math';
import { defineOp, type Params, type VjpArgs } from './row';

interface DimsParams extends Params { dim?: number | number[] | null; keepdim?: boolean }
interface DimParams extends Params { dim?: number | null; keepdim?: boolean }
interface VarParams extends DimsParams { correction?: number }

const dimsOf = (a: Tensor, p: DimsParams, op: string) => normalizeDims(p.dim, a.ndim, op);

/** grad of a reduction, copied back over the reduced dims. */
function spread({ grad, inputs, params }: VjpArgs<DimsParams>, op: string): Tensor {
  const a = inputs[0];
  return T.expandTo(T.keepDims(grad, a.shape, dimsOf(a, params, op), !!params.keepdim), a.shape);
}

function extreme(name: 'max' | 'min', sign: 1 | -1) {
  return defineOp<DimParams>({
    name, inputNames: ['a'], differentiable: true,
    formulas: [`dim given: grad scattered to the arg${name} positions; no dim: grad split evenly among ties`],
    forward: ([a], { dim, keepdim }) => {
      if (dim === null || dim === undefined) {
        if (a.size === 0) throw new ShapeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
        return extremeAlong(a.withShape([a.size]), 0, false, sign).values;
      }
      return extremeAlong(a, normalizeDim(dim, a.ndim, name), !!keepdim, sign).values;
    },
    vjps: [({ grad, inputs, result, params: { dim, keepdim } }) => {
      const a = inputs[0];
      if (dim === null || dim === undefined) {
        const best = result.data[0];
        let ties = 0;
        for (let i = 0; i < a.size; i++) if (a.data[i] === best || (Number.isNaN(a.data[i]) && Number.isNaN(best))) ties++;
        const g = grad.data[0] / ties;
        return map(a, (v) => (v === best || (Number.isNaN(v) && Number.isNaN(best)) ? g : 0), 'float32');
      }
      const d = normalizeDim(dim, a.ndim, name);
      const { indices } = extremeAlong(a, d, true, sign);
      const g = T.keepDims(grad, a.shape, [d], !!keepdim);
      const out = allocate('float32', a.size);
      let inner = 1;
      for (let i = d + 1; i < a.ndim; i++) inner *= a.shape[i];
      const size = a.ndim ? a.shape[d] : 1;
      for (let k = 0; k < indices.size; k++) {
        const o = Math.floor(k / inner), i = k % inner;
        out[(o * size + indices.data[k]) * inner + i] = g.data[k];
      }
      return new Tensor([...a.shape], 'float32', out);
    }],
  });
}

function argExtreme(name: string, sign: 1 | -1) {
  return defineOp<DimParams>({
    name, inputNames: ['a'], differentiable: false, formulas: [], vjps: [],
    forward: ([a], { dim, keepdim }) => (dim === null || dim === undefined
      ? extremeAlong(a.withShape([a.size]), 0, false, sign).indices
      : extremeAlong(a, normalizeDim(dim, a.ndim, name), !!keepdim, sign).indices),
  });
}

function truth(name: 'all' | 'any') {
  return defineOp<DimParams>({
    name, inputNames: ['a'], differentiable: false, formulas: [], vjps: [],
    forward: ([a], { dim, keepdim }) => (dim === null || dim === undefined
      ? truthOfAll(a, name === 'all')
      : truthAlong(a, normalizeDim(dim, a.ndim, name), !!keepdim, name === 'all')),
  });
}

/** log-sum-exp along each fiber of `dim`, max-shifted for stability. */
function lseFiber(read: (j: number) => number, size: number): number {
  let m = -Infinity;
  for (let j = 0; j < size; j++) m = Math.max(m, read(j));
  if (!Number.isFinite(m)) m = 0;
  let s = 0;
  for (let j = 0; j < size; j++) s += Math.exp(read(j) - m);
  return m + Math.log(s);
}

export function softmaxForward(a: Tensor, dim: number, log: boolean): Tensor {
  return eachFiber(a, normalizeDim(dim, a.ndim, log ? 'log_softmax' : 'softmax'), (read, write, size) => {
    const lse = lseFiber(read, size);
    for (let j = 0; j < size; j++) write(j, log ? read(j) - lse : Math.exp(read(j) - lse));
  });
}

export const reductionOps = [
  defineOp<DimsParams>({
    name: 'sum', inputNames: ['a'], differentiable: true, formulas: ['grad.expand(a.shape)'],
    forward: ([a], p) => {
      const dims = dimsOf(a, p, 'sum');
      return T.contractOuter(a, dims, !!p.keepdim) ?? sumDims(a, dims, !!p.keepdim);
    },
    vjps: [(args) => spread(args, 'sum')],
  }),
  defineOp<DimsParams>({
    name: 'mean', inputNames: ['a'], differentiable: true, formulas: ['grad.expand(a.shape) / n'],
    forward: ([a], p) => {
      if (a.dtype !== 'float32') throw new UnsupportedError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(a.dtype)}`);
      const dims = dimsOf(a, p, 'mean');
      return T.scale(sumDims(a, dims, !!p.keepdim), 1 / countOf(a.shape, dims));
    },
    vjps: [(args) => T.scale(spread(args, 'mean'), 1 / countOf(args.inputs[0].shape, dimsOf(args.inputs[0], args.params, 'mean')))],
  }),
  defineOp<VarParams>({
    name: 'var', inputNames: ['a'], differentiable: true, formulas: ['grad * 2 * (a - a.mean(dim)) / (n - correction)'],
    forward: ([a], p) => varForward(a, p),
    vjps: [(args) => {
      const a = args.inputs[0], dims = dimsOf(a, args.params, 'var');
      const n = countOf(a.shape, dims), c = args.params.correction ?? 1;
      const centred = T.sub(a, T.scale(sumDims(a, dims, true), 1 / n));
      return T.mul(spread(args, 'var'), T.scale(centred, 2 / (n - c)));
    }],
  }),
  defineOp<VarParams>({
    name: 'std', inputNames: ['a'], differentiable: true, formulas: ['grad * (a - a.mean(dim)) / ((n - correction) * result)'],
    forward: ([a], p) => map(varForward(a, p), Math.sqrt),
    vjps: [(args) => {
      const a = args.inputs[0], dims = dimsOf(a, args.params, 'std');
      const n = countOf(a.shape, dims), c = args.params.correction ?? 1;
      const centred = T.sub(a, T.scale(sumDims(a, dims, true), 1 / n));
      const r = T.keepDims(args.result, a.shape, dims, !!args.params.keepdim);
      return T.div(T.mul(spread(args, 'std'), T.scale(centred, 1 / (n - c))), r);
    }],
  }),
  extreme('max', 1),
  extreme('min', -1),
  truth('all'),
  truth('any'),
  argExtreme('argmax', 1),
  argExtreme('argmin', -1),
  defineOp<DimsParams>({
    name: 'logsumexp', inputNames: ['a'], differentiable: true, formulas: ['grad * exp(a - result)'],
    forward: ([a], p) => {
      const dims = dimsOf(a, p, 'logsumexp');
      if (dims.length !== 1) throw new UnsupportedError('logsumexp over several dims is not supported by Gradlens yet (one dim at a time)');
      const full = eachFiber(a, dims[0], (read, write, size) => { const l = lseFiber(read, size); for (let j = 0; j < size; j++) write(j, j === 0 ? l : 0); });
      return T.sum(full, dims, !!p.keepdim);
    },
    vjps: [(args) => {
      const a = args.inputs[0];
      const r = T.keepDims(args.result, a.shape, dimsOf(a, args.params, 'logsumexp'), !!args.params.keepdim);
      return T.mul(spread(args, 'logsumexp'), zip(a, r, (x, l) => Math.exp(x - l), 'float32'));
    }],
  }),
  defineOp<{ dim: number }>({
    name: 'softmax', inputNames: ['a'], differentiable: true,
    formulas: ['result * (grad - (grad * result).sum(dim, keepdim=True))'],
    forward: ([a], { dim }) => softmaxForward(a, dim, false),
    vjps: [({ grad, result, params: { dim } }) => {
      const d = normalizeDim(dim, result.ndim, 'softmax');
      return T.mul(result, T.sub(grad, T.sum(T.mul(grad, result), d, true)));
    }],
  }),
  defineOp<{ dim: number }>({
    name: 'log_softmax', inputNames: ['a'], differentiable: true,
    formulas: ['grad - exp(result) * grad.sum(dim, keepdim=True)'],
    forward: ([a], { dim }) => softmaxForward(a, dim, true),
    vjps: [({ grad, result, params: { dim } }) => {
      const d = normalizeDim(dim, result.ndim, 'log_softmax');
      return T.sub(grad, T.mul(map(result, Math.exp), T.sum(grad, d, true)));
    }],
  }),
];

function varForward(a: Tensor, p: VarParams): Tensor {
  const dims = dimsOf(a, p, 'var');
  const n = countOf(a.shape, dims), c = p.correction ?? 1;
  const centred = T.sub(a, T.scale(sumDims(a, dims, true), 1 / n));
  return T.scale(sumDims(T.mul(centred, centred), dims, !!p.keepdim), 1 / (n - c));
}
