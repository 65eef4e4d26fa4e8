// Binary arithmetic with broadcasting, and comparisons.
import { isclose, zip } from '../kernels/elementwise';
import { EngineError } from '../errors';
import { promote, scalarTypeName, type Tensor } from '../tensor';
import * as T from './math';
import { defineOp, type Params } from './row';

const binary = (name: string, fn: (x: number, y: number) => number, dtype: (a: Tensor, b: Tensor) => Tensor['dtype']) =>
  (inputs: readonly Tensor[]) => zip(inputs[0], inputs[1], fn, dtype(inputs[0], inputs[1]), name);
const promoted = (a: Tensor, b: Tensor) => promote(a.dtype, b.dtype);

export const arithmeticOps = [
  defineOp({
    name: 'add', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad', 'grad'],
    forward: binary('add', (x, y) => x + y, promoted),
    vjps: [({ grad }) => grad, ({ grad }) => grad],
  }),
  defineOp({
    name: 'sub', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad', '-grad'],
    forward: binary('sub', (x, y) => x - y, promoted),
    vjps: [({ grad }) => grad, ({ grad }) => T.neg(grad)],
  }),
  defineOp({
    name: 'mul', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad * b', 'grad * a'],
    forward: (inputs) => T.deferredOuter(inputs[0], inputs[1]) ?? binary('mul', (x, y) => x * y, promoted)(inputs),
    vjps: [({ grad, inputs }) => T.mul(grad, T.float(inputs[1])), ({ grad, inputs }) => T.mul(grad, T.float(inputs[0]))],
  }),
  defineOp({
    name: 'div', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad / b', '-grad * a / b**2'],
    forward: binary('div', (x, y) => x / y, () => 'float32'),
    vjps: [
      ({ grad, inputs }) => T.div(grad, inputs[1]),
      ({ grad, inputs, result }) => T.neg(T.div(T.mul(grad, result), inputs[1])),
    ],
  }),
  defineOp({
    name: 'pow', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad * b * a**(b-1)', 'grad * result * log(a)'],
    forward: binary('pow', (x, y) => x ** y, promoted),
    vjps: [
      ({ grad, inputs }) => T.mul(grad, zip(inputs[0], inputs[1], (x, y) => (y === 0 ? 0 : y * x ** (y - 1)), 'float32', 'pow')),
      ({ grad, inputs, result }) => T.mul(grad, zip(result, inputs[0], (r, x) => (x === 0 && r === 0 ? 0 : r * Math.log(x)), 'float32', 'pow')),
    ],
  }),
  defineOp({
    name: 'maximum', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad * (a > b) + grad/2 * (a == b)', 'grad * (b > a) + grad/2 * (a == b)'],
    forward: binary('maximum', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)), promoted),
    vjps: [
      ({ grad, inputs }) => T.mul(grad, zip(inputs[0], inputs[1], (x, y) => (x > y ? 1 : x === y ? 0.5 : 0), 'float32')),
      ({ grad, inputs }) => T.mul(grad, zip(inputs[0], inputs[1], (x, y) => (y > x ? 1 : x === y ? 0.5 : 0), 'float32')),
    ],
  }),
  defineOp({
    name: 'minimum', inputNames: ['a', 'b'], differentiable: true,
    formulas: ['grad * (a < b) + grad/2 * (a == b)', 'grad * (b < a) + grad/2 * (a == b)'],
    forward: binary('minimum', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)), promoted),
    vjps: [
      ({ grad, inputs }) => T.mul(grad, zip(inputs[0], inputs[1], (x, y) => (x < y ? 1 : x === y ? 0.5 : 0), 'float32')),
      ({ grad, inputs }) => T.mul(grad, zip(inputs[0], inputs[1], (x, y) => (y < x ? 1 : x === y ? 0.5 : 0), 'float32')),
    ],
  }),
  ...([
    ['floor_divide', (x: number, y: number) => Math.floor(x / y)],
    ['remainder', (x: number, y: number) => x - Math.floor(x / y) * y],
  ] as const).map(([name, fn]) => defineOp({
    name, inputNames: ['a', 'b'], differentiable: false, formulas: [], vjps: [],
    forward: binary(name, fn, promoted),
  })),
  ...([
    ['eq', (x: number, y: number) => +(x === y)],
    ['ne', (x: number, y: number) => +(x !== y)],
    ['lt', (x: number, y: number) => +(x < y)],
    ['le', (x: number, y: number) => +(x <= y)],
    ['gt', (x: number, y: number) => +(x > y)],
    ['ge', (x: number, y: number) => +(x >= y)],
    ['logical_and', (x: number, y: number) => +(!!x && !!y)],
    ['logical_or', (x: number, y: number) => +(!!x || !!y)],
    ['logical_xor', (x: number, y: number) => +(!!x !== !!y)],
  ] as const).map(([name, fn]) => defineOp({
    name, inputNames: ['a', 'b'], differentiable: false, formulas: [], vjps: [],
    forward: binary(name, fn, () => 'bool'),
  })),
  defineOp<IscloseParams>({
    name: 'isclose', inputNames: ['a', 'b'], differentiable: false, formulas: [], vjps: [],
    forward: ([a, b], { rtol = 1e-5, atol = 1e-8, equal_nan = false }) => {
      if (a.dtype !== b.dtype) throw new EngineError('RuntimeError', `${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
      return isclose(a, b, rtol, atol, equal_nan);
    },
  }),
];

interface IscloseParams extends Params { rtol?: number; atol?: number; equal_nan?: boolean }
