// Elementwise unary math. Integer inputs to float functions give float32, as in PyTorch.
import { clampFloat, clampGradient, copy, map, zip } from '../kernels/elementwise';
import type { Tensor } from '../tensor';
import * as T from './math';
import { defineOp, type Params } from './row';

type Fn = (x: number) => number;

/** A unary row whose VJP is grad * d(x, result). */
function unary(name: string, fn: Fn, formula: string, deriv: (x: number, r: number) => number, keepsDtype = false) {
  return defineOp({
    name, inputNames: ['a'], differentiable: true, formulas: [formula],
    forward: ([a]) => map(a, fn, keepsDtype ? a.dtype : 'float32', name),
    vjps: [({ grad, inputs, result }) => T.mul(grad, zip(inputs[0], result, deriv, 'float32'))],
  });
}

const sigmoid: Fn = (x) => 1 / (1 + Math.exp(-x));

interface ClampParams extends Params { min?: number | null; max?: number | null }

export const unaryOps = [
  defineOp({
    name: 'neg', inputNames: ['a'], differentiable: true, formulas: ['-grad'],
    forward: ([a]) => map(a, (x) => -x, a.dtype, 'neg'), vjps: [({ grad }) => T.neg(grad)],
  }),
  unary('exp', Math.exp, 'grad * result', (_x, r) => r),
  unary('log', Math.log, 'grad / a', (x) => 1 / x),
  unary('sqrt', Math.sqrt, 'grad / (2 * result)', (_x, r) => 1 / (2 * r)),
  unary('rsqrt', (x) => 1 / Math.sqrt(x), '-grad * result**3 / 2', (_x, r) => -0.5 * r * r * r),
  unary('tanh', Math.tanh, 'grad * (1 - result**2)', (_x, r) => 1 - r * r),
  unary('sigmoid', sigmoid, 'grad * result * (1 - result)', (_x, r) => r * (1 - r)),
  unary('sin', Math.sin, 'grad * cos(a)', (x) => Math.cos(x)),
  unary('cos', Math.cos, '-grad * sin(a)', (x) => -Math.sin(x)),
  unary('abs', Math.abs, 'grad * sign(a)', (x) => Math.sign(x), true),
  unary('square', (x) => x * x, 'grad * 2 * a', (x) => 2 * x, true),
  // x < 0 ? 0 : x, not x > 0 ? x : 0: NaN and -0 pass through, as in PyTorch.
  unary('relu', (x) => (x < 0 ? 0 : x), 'grad * (a > 0)', (x) => (x > 0 ? 1 : 0), true),
  unary('log1p', Math.log1p, 'grad / (1 + a)', (x) => 1 / (1 + x)),
  unary('expm1', Math.expm1, 'grad * (result + 1)', (_x, r) => r + 1),
  unary('softplus', (x) => (x > 20 ? x : Math.log1p(Math.exp(x))), 'grad * sigmoid(a)', (x) => sigmoid(x)),
  unary('leaky_relu', (x) => (x > 0 ? x : 0.01 * x), 'grad * (a > 0 ? 1 : 0.01)', (x) => (x > 0 ? 1 : 0.01), true),
  unary('gelu', (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)), 'grad * (Φ(a) + a·φ(a))',
    (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)),
  defineOp<ClampParams>({
    name: 'clamp', inputNames: ['a'], differentiable: true, formulas: ['grad * (min <= a <= max)'],
    forward: ([a], { min, max }) => (a.dtype === 'float32' ? clampFloat(a, min ?? -Infinity, max ?? Infinity) : map(a, (x) => {
      if (Number.isNaN(x)) return x;
      if (min !== null && min !== undefined && x < min) x = min;
      if (max !== null && max !== undefined && x > max) x = max;
      return x;
    }, min !== null && min !== undefined && !Number.isInteger(min) ? 'float32' : a.dtype)),
    vjps: [({ grad, inputs, params: { min, max } }) => clampGradient(grad, inputs[0], min ?? -Infinity, max ?? Infinity)],
  }),
  defineOp<{ dtype: Tensor['dtype'] }>({
    name: 'to', inputNames: ['a'], differentiable: true, formulas: ['grad'],
    forward: ([a], { dtype }) => a.to(dtype),
    vjps: [({ grad }) => grad],
  }),
  defineOp({
    name: 'clone', inputNames: ['a'], differentiable: true, formulas: ['grad'],
    forward: ([a]) => copy(a), vjps: [({ grad }) => grad],
  }),
  ...([
    ['logical_not', (x: number) => +!x],
    ['isnan', (x: number) => +Number.isNaN(x)],
  ] as const).map(([name, fn]) => defineOp({
    name, inputNames: ['a'], differentiable: false, formulas: [], vjps: [],
    forward: ([a]) => map(a, fn, 'bool'),
  })),
  ...([
    ['sign', Math.sign], ['floor', Math.floor], ['ceil', Math.ceil], ['round', roundHalfEven],
  ] as const).map(([name, fn]) => defineOp({
    name, inputNames: ['a'], differentiable: true, formulas: ['0'], vjps: [({ grad }) => T.scale(grad, 0)],
    forward: ([a]) => map(a, fn),
  })),
];

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Abramowitz–Stegun 7.1.26 is too coarse for gelu's 1e-5 tolerance; use a series/continued fraction. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t, term = t;
    for (let n = 1; n < 60; n++) {
      term *= -t * t / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return Math.sign(x) * (1 - erfc);
}
