// The native backend's float32 elementwise loops give the same bits as the TypeScript loops (run
// with the plain backend installed), over special values, bounds that float32 cannot hold, and
// the broadcast walks they take (same shape, a scalar on either side, a row or a column over a batch).
import assert from 'node:assert/strict';
import { createNativeBackend, plainBackend, setBackend, backend, Tensor, type Backend } from '../../src/engine';
import { clampFloat, clampGradient, zip, type Binary } from '../../src/engine/kernels/elementwise';
import { sumDims } from '../../src/engine/kernels/reduce';

const native = createNativeBackend({ threads: 1 });

const SPECIAL = [0, -0, 1, -1, 0.1, -0.1, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, Infinity, -Infinity, NaN, 0.5, 2];
function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    out[i] = i % 7 === 0 ? SPECIAL[seed % SPECIAL.length] : (seed / 2147483647 - 0.5) * 4;
  }
  return out;
}

/** The same bits, NaN for NaN (a NaN's payload is not part of what PyTorch promises). */
function assertSameBits(got: Tensor, want: Tensor, what: string) {
  assert.deepEqual(got.shape, want.shape, what);
  assert.equal(got.dtype, want.dtype, what);
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i], w = want.data[i];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    assert.ok(Object.is(g, w), `${what}, element ${i}: ${g} vs ${w}`);
  }
}

function both(run: () => Tensor, what: string) {
  const before = backend();
  try {
    setBackend(plainBackend);
    const want = run();
    setBackend(native as Backend);
    assertSameBits(run(), want, what);
  } finally {
    setBackend(before);
  }
}

const OPS: [string, Binary, 'float32' | 'bool'][] = [
  ['add', (x, y) => x + y, 'float32'], ['sub', (x, y) => x - y, 'float32'], ['mul', (x, y) => x * y, 'float32'], ['div', (x, y) => x / y, 'float32'],
  ['eq', (x, y) => +(x === y), 'bool'], ['ne', (x, y) => +(x !== y), 'bool'], ['lt', (x, y) => +(x < y), 'bool'],
  ['le', (x, y) => +(x <= y), 'bool'], ['gt', (x, y) => +(x > y), 'bool'], ['ge', (x, y) => +(x >= y), 'bool'],
];
// Every walk the native loops take, and one they leave to TypeScript (three dimensions after coalescing).
const SHAPES: [number[], number[]][] = [
  [[300, 50], [300, 50]], [[300, 50], []], [[], [300, 50]], [[300, 50], [50]], [[50], [300, 50]], [[300, 50], [300, 1]],
  [[300, 1], [1, 50]], [[8192], [1]], [[20, 30, 40], [20, 1, 40]],
];

describe('native elementwise loops: the same bits as the TypeScript ones', function () {
  before(function () { if (!native) this.skip(); });

  for (const [op, fn, dtype] of OPS) {
    it(`${op} over ${SHAPES.length} broadcast walks, with ±0, ±inf, NaN, subnormals and float32's extremes`, () => {
      SHAPES.forEach(([sa, sb], k) => {
        const a = new Tensor(sa, 'float32', data(sa.reduce((p, d) => p * d, 1), 7 + k));
        const b = new Tensor(sb, 'float32', data(sb.reduce((p, d) => p * d, 1), 99 + k));
        both(() => zip(a, b, fn, dtype, op), `${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
      });
    });
  }

  it('clamp and its gradient at bounds float32 cannot hold (0.1, 1e300), at ±0, ±inf and min = max', () => {
    const x = new Tensor([100, 60], 'float32', data(6000, 3)), grad = new Tensor([100, 60], 'float32', data(6000, 5));
    const bounds = [[0, Infinity], [-Infinity, 0], [-0.1, 0.1], [0.1, 0.1], [-1e300, 1e300], [1e300, 1e300], [-0, 0], [-Infinity, Infinity],
      [1e-46, 3.5e38], [-3.4028235677973366e38, -1e-45]];
    for (const [min, max] of bounds) {
      both(() => clampFloat(x, min, max), `clamp(${min}, ${max})`);
      both(() => clampGradient(grad, x, min, max), `clamp's gradient (${min}, ${max})`);
    }
  });

  // Every shape here merges to (reduced rows, kept columns), the walk the native loop takes.
  it('sum(0) of a batch (and of (rows, 1, cols), (1, rows, 2)), with special values: the same float64 sums', () => {
    for (const [shape, dims] of [[[3000, 50], [0]], [[700, 1, 9], [0]], [[1, 4100, 2], [1]], [[64, 64], [0]], [[20, 30, 40], [0, 1]]] as [number[], number[]][]) {
      const x = new Tensor(shape, 'float32', data(shape.reduce((p, d) => p * d, 1), 11));
      both(() => sumDims(x, dims, false), `sum(${dims}) of ${JSON.stringify(shape)}`);
      both(() => sumDims(x, dims, true), `sum(${dims}, keepdim) of ${JSON.stringify(shape)}`);
    }
  });

  it('refuses a clamp with min > max or a NaN bound, with a message (the TypeScript side never sends one)', () => {
    const x = new Float32Array(8);
    assert.throws(() => native!.elementwise!.clamp(x, x, 1, 0), /min must be <= max/);
    assert.throws(() => native!.elementwise!.clampGradient(x, x, x, NaN, 0), /min must be <= max/);
    assert.throws(() => native!.elementwise!.binary('add', x, x, x, 2, 8, 0, 8, 1, 0, 8, 1), /shorter than rows × len|shorter than its offsets/);
    assert.throws(() => native!.elementwise!.sumColumns(new Float64Array(4), x, 2, 5), /shorter than rows × len/);
  });
});
