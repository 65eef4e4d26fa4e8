// The fast paths for big tensors (loops written out per op, fused isclose/all/any, one-pass
// summary stats) against the plain per-element definitions, across chunk boundaries and with
// NaN, ±Infinity and -0 in the data.
import assert from 'node:assert/strict';
import { memory, opRow, Tensor } from '../../src/engine';
import { gatherMap, type IndexItem } from '../../src/engine/ops/indexing';
import { clampFloat, clampGradient, copy, isclose, map, scaleFloat, zip } from '../../src/engine/kernels/elementwise';
import { sumDims, truthAlong, truthOfAll } from '../../src/engine/kernels/reduce';
import { summarize } from '../../src/engine/summary';

const N = 40_003; // more than two chunks, not a multiple of one
let seed = 7;
const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };

function floats(n = N, specials = true): Tensor {
  const t = Tensor.zeros([n]);
  const odd = [NaN, Infinity, -Infinity, -0, 0, 1e-40];
  for (let i = 0; i < n; i++) t.data[i] = specials && i % 997 === 5 ? odd[i % odd.length] : (random() - 0.5) * 8;
  return t;
}

function sameBits(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, what);
  assert.equal(got.dtype, want.dtype, what);
  for (let i = 0; i < want.size; i++) {
    const g = got.data[i], w = want.data[i];
    assert.ok(Object.is(g, w), `${what}[${i}]: ${g} vs ${w}`);
  }
}

describe('elementwise fast paths equal the per-element definitions', () => {
  const unary: [string, (x: number) => number][] = [
    ['neg', (x) => -x], ['abs', Math.abs], ['exp', Math.exp], ['log', Math.log], ['sqrt', Math.sqrt],
    ['tanh', Math.tanh], ['sigmoid', (x) => 1 / (1 + Math.exp(-x))], ['square', (x) => x * x], ['relu', (x) => (x < 0 ? 0 : x)],
  ];
  for (const [op, fn] of unary) {
    it(`${op} over ${N} float32 values`, () => {
      const x = floats();
      sameBits(map(x, fn, 'float32', op), map(x, fn, 'float32'), op);
    });
  }

  it('relu keeps NaN and -0, as PyTorch does', () => {
    const got = opRow('relu').forward([Tensor.from(Float32Array.of(NaN, -0, -2, 3), [4])], {});
    assert.ok(Number.isNaN(got.data[0]) && Object.is(got.data[1], -0));
    assert.deepEqual(Array.from(got.data.subarray(2)), [0, 3]);
  });

  it('comparisons into bool, same shape and broadcast', () => {
    const a = floats(), b = floats();
    const col = Tensor.from(Float32Array.of(0.5), [1]);
    const fns: [string, (x: number, y: number) => number][] = [
      ['eq', (x, y) => +(x === y)], ['ne', (x, y) => +(x !== y)], ['lt', (x, y) => +(x < y)],
      ['le', (x, y) => +(x <= y)], ['gt', (x, y) => +(x > y)], ['ge', (x, y) => +(x >= y)],
    ];
    for (const [op, fn] of fns) {
      sameBits(zip(a, b, fn, 'bool', op), zip(a, b, fn, 'bool'), op);
      sameBits(zip(a, col, fn, 'bool', op), zip(a, col, fn, 'bool'), `${op} broadcast`);
    }
  });

  it('clamp, its gradient mask, scale and clone', () => {
    const x = floats();
    const clampRef = map(x, (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, -1), 2)), 'float32');
    sameBits(clampFloat(x, -1, 2), clampRef, 'clamp');
    sameBits(clampFloat(x, 0, Infinity), map(x, (v) => (Number.isNaN(v) ? v : v < 0 ? 0 : v), 'float32'), 'clamp_min');
    sameBits(clampFloat(x, 2, -1), map(x, (v) => (Number.isNaN(v) ? v : -1), 'float32'), 'clamp with min > max: every element max, as in PyTorch');
    // The gradient's NaN and infinities at other places than x's: inside the range they pass, outside they become 0.
    const grad = Tensor.from(Float32Array.from(x.data, (_v, i) => x.data[(i + 1) % x.size]), [...x.shape]);
    const clampGradRef = (lo: number, hi: number) => zip(grad, x, (g, v) => (v >= lo && v <= hi ? g : 0), 'float32');
    sameBits(clampGradient(grad, x, -1, 2), clampGradRef(-1, 2), 'gradient: grad inside, 0 outside (also for inf/NaN grads)');
    sameBits(clampGradient(grad, x, 2, -1), clampGradRef(2, -1), 'gradient with min > max: all 0');
    sameBits(scaleFloat(x, 1 / 3), map(x, (v) => v * (1 / 3), 'float32'), 'scale');
    const c = copy(x);
    sameBits(c, x, 'clone');
    assert.notEqual(c.data, x.data);
  });
});

describe('isclose, all and any', () => {
  it('isclose follows PyTorch: equal, within atol + |rtol·b| in float32, NaN only with equal_nan', () => {
    const a = Tensor.from(Float32Array.of(1, NaN, Infinity, 1, 100, -Infinity, 0), [7]);
    const b = Tensor.from(Float32Array.of(1, NaN, Infinity, 1.000005, 100.002, Infinity, 1e-9), [7]);
    assert.deepEqual(Array.from(isclose(a, b, 1e-5, 1e-8, false).data), [1, 0, 1, 1, 0, 0, 1]);
    assert.deepEqual(Array.from(isclose(a, b, 1e-5, 1e-8, true).data), [1, 1, 1, 1, 0, 0, 1]);
    assert.deepEqual(Array.from(isclose(a, b, 0, 0, false).data), [1, 0, 1, 0, 0, 0, 0]);
  });

  it('isclose over a big tensor equals the composed definition, also right at the boundary', () => {
    const allowedF32 = (y: number) => Math.fround(Math.fround(1e-8) + Math.abs(Math.fround(Math.fround(1e-5) * y)));
    const b = floats();
    // Every fifth element sits within a few float32 steps of the boundary, on either side.
    const a = map(b, (y) => y * (1 + (random() - 0.5) * 4e-5), 'float32');
    for (let i = 0; i < a.size; i += 5) a.data[i] = Math.fround(b.data[i] + (1 + ((i / 5) % 7 - 3) * 6e-8) * allowedF32(b.data[i]));
    const want = map(a, () => 0, 'bool');
    for (let i = 0; i < a.size; i++) {
      const x = a.data[i], y = b.data[i];
      const actual = Math.abs(Math.fround(x - y));
      want.data[i] = +(x === y || (Number.isFinite(actual) && actual <= allowedF32(y)));
    }
    const got = isclose(a, b, 1e-5, 1e-8, false);
    sameBits(got, want, 'isclose');
    const atBoundary = [0, 0];
    for (let i = 0; i < a.size; i += 5) if (Number.isFinite(b.data[i])) atBoundary[got.data[i]]++;
    assert.ok(atBoundary[0] > 100 && atBoundary[1] > 100, `both outcomes at the boundary: ${atBoundary}`);
  });

  it('isclose in float32 at the edges: integers, overflow, subnormal tolerances', () => {
    const f = (v: number[]) => Tensor.from(Float32Array.from(v), [v.length]);
    const l = (v: number[]) => Tensor.from(Float64Array.from(v), [v.length], 'int64');
    // 0.7f · 90 rounds to 63 in float32 (63.0000000000001 in float64): PyTorch says close.
    assert.deepEqual(Array.from(isclose(l([27]), l([90]), 0.7, 0, false).data), [1]);
    // rtol · b overflows float32: the tolerance is inf, the error too, so not close.
    assert.deepEqual(Array.from(isclose(f([3e38]), f([-3e38]), 3, 0, false).data), [0]);
    // A subnormal tolerance (atol 0, tiny b) rounds in float32 as PyTorch does.
    const tiny = 1e-45 * 7, near = Math.fround(tiny * 1.5);
    const got = isclose(f([near]), f([tiny]), 0.5, 0, false).data[0];
    const bound = Math.fround(Math.abs(Math.fround(Math.fround(0.5) * Math.fround(tiny))));
    assert.equal(got, +(Math.abs(Math.fround(near - Math.fround(tiny))) <= bound));
  });

  it('all / any of everything and along a dim; NaN counts as true', () => {
    const t = (v: number[], shape = [v.length]) => Tensor.from(Float32Array.from(v), shape);
    assert.equal(truthOfAll(t([1, NaN, -2]), true).item(), 1);
    assert.equal(truthOfAll(t([1, 0, -2]), true).item(), 0);
    assert.equal(truthOfAll(t([0, 0, NaN]), false).item(), 1);
    assert.equal(truthOfAll(t([0, 0]), false).item(), 0);
    assert.equal(truthOfAll(t([]), true).item(), 1);
    assert.equal(truthOfAll(t([]), false).item(), 0);
    const m = t([1, 0, 1, 1, 0, 0], [2, 3]);
    assert.deepEqual(Array.from(truthAlong(m, 1, false, true).data), [0, 0]);
    assert.deepEqual(Array.from(truthAlong(m, 0, false, false).data), [1, 0, 1]);
    assert.deepEqual(truthAlong(m, 1, true, false).shape, [2, 1]);
  });
});

describe('summary stats in one pass', () => {
  it('mean, std, min, max and |mean| match a two-pass float64 computation', () => {
    const x = floats(N, false);
    for (let i = 0; i < x.size; i++) x.data[i] += 1000; // a mean far from zero: the shift matters
    const s = summarize(x);
    let sum = 0, abs = 0, min = Infinity, max = -Infinity;
    for (const v of x.data) { sum += v; abs += Math.abs(v); min = Math.min(min, v); max = Math.max(max, v); }
    const mean = sum / x.size;
    let sq = 0;
    for (const v of x.data) sq += (v - mean) ** 2;
    assert.equal(s.min, min); assert.equal(s.max, max);
    assert.ok(Math.abs(s.mean - mean) < 1e-9 * 1000, `mean ${s.mean} vs ${mean}`);
    assert.ok(Math.abs(s.std - Math.sqrt(sq / (x.size - 1))) < 1e-9, `std ${s.std}`);
    assert.ok(Math.abs((s.absMean ?? NaN) - abs / x.size) < 1e-9);
  });

  it('non-finite values are counted and left out of the stats', () => {
    const s = summarize(Tensor.from(Float32Array.of(NaN, 1, 2, Infinity, 3), [5]));
    assert.equal(s.nonFinite, 2);
    assert.equal(s.mean, 2);
    assert.equal(s.std, 1);
  });

  it('the picture holds block means to 7 digits of its largest value, printed short', () => {
    for (const scale of [1e-9, 0.37, 1, 250, 3e12]) {
      const x = Tensor.zeros([50, 40]);
      for (let i = 0; i < x.size; i++) x.data[i] = (random() - 0.3) * scale;
      const s = summarize(x);
      const image = s.image!;
      assert.deepEqual([image.rows, image.cols], [50, 40]); // small enough: one element per block
      const largest = Math.max(...Array.from(x.data, Math.abs));
      image.data.forEach((v, k) => {
        assert.ok(Math.abs(v - x.data[k]) <= 5e-7 * largest, `scale ${scale} [${k}]: ${v} vs ${x.data[k]}`);
        assert.ok(JSON.stringify(v).replace(/^-/, '').replace(/e[-+]\d+$/, '').length <= 16, `${v} prints long`);
      });
      assert.ok(JSON.stringify(image.data).length < 14 * image.data.length, `scale ${scale}: ${JSON.stringify(image.data).length} chars`);
    }
  });

  it('bool tensors are summarised as 0/1 without widening', () => {
    const s = summarize(Tensor.from(Uint8Array.of(1, 0, 1, 1), [4], 'bool'));
    assert.equal(s.mean, 0.75); assert.equal(s.min, 0); assert.equal(s.max, 1);
    assert.deepEqual(s.data, [1, 0, 1, 1]);
  });
});

describe('a big outer product summed over dim 0 (lesson 13\'s w.g) is a matrix product', () => {
  const column = (i: number, k: number) => { const t = floats(i * k, false); return t.withShape([i, k, 1]); };
  const row = (i: number, j: number) => { const t = floats(i * j, false); return t.withShape([i, 1, j]); };
  const plainSum0 = (a: Tensor, b: Tensor) => sumDims(zip(a, b, (x, y) => x * y, 'float32', 'mul'), [0], false);

  it('sum(0) matches the materialised product summed in float64, either way round, keepdim too', () => {
    const a = column(64, 130), b = row(64, 140); // 1.16 M elements: deferred
    for (const [x, y] of [[a, b], [b, a]]) {
      const product = opRow('mul').forward([x, y], {});
      assert.ok(product.outerOf, 'deferred');
      const got = opRow('sum').forward([product], { dim: 0 });
      const want = plainSum0(x, y);
      // float32 accumulation, as PyTorch's: the error scales with the sum of |terms|, not the result
      const scale = sumDims(zip(x, y, (u, v) => Math.abs(u * v), 'float32'), [0], false);
      assert.deepEqual(got.shape, [130, 140]);
      for (let i = 0; i < want.size; i++) assert.ok(Math.abs(got.data[i] - want.data[i]) <= 1e-6 * scale.data[i], `[${i}] ${got.data[i]} vs ${want.data[i]}`);
      assert.deepEqual(opRow('sum').forward([product], { dim: 0, keepdim: true }).shape, [1, 130, 140]);
    }
  });

  it('read directly, the product has exactly the bits of the elementwise kernel', () => {
    const a = column(64, 130), b = row(64, 140);
    const product = opRow('mul').forward([a, b], {});
    sameBits(product, zip(a, b, (x, y) => x * y, 'float32', 'mul'), 'outer product');
    sameBits(opRow('sum').forward([product], { dim: 1 }), sumDims(zip(a, b, (x, y) => x * y, 'float32', 'mul'), [1], false), 'sum(1)');
  });

  it('small products, other patterns and other dtypes are computed at once', () => {
    assert.equal(opRow('mul').forward([column(8, 9), row(8, 10)], {}).outerOf, null);
    assert.equal(opRow('mul').forward([column(64, 130), row(1, 140).withShape([1, 1, 140])], {}).outerOf, null);
    assert.equal(opRow('mul').forward([column(64, 130).to('int64'), row(64, 140).to('int64')], {}).outerOf, null);
  });

  it('a product over the memory limit fails when it is asked for, not when it is read', () => {
    const limit = memory.limitBytes;
    memory.limitBytes = 1e6;
    try {
      assert.throws(() => opRow('mul').forward([column(64, 130), row(64, 140)], {}), /memory limit/);
    } finally {
      memory.limitBytes = limit;
    }
  });
});

describe('indexing that reads one contiguous run', () => {
  it('equals the general gather map for every mix of ints, slices, None and Ellipsis', () => {
    const x = Tensor.zeros([3, 4, 5]);
    x.data.forEach((_, i) => { x.data[i] = i; });
    const choices: IndexItem[] = [
      { kind: 'int', value: 1 }, { kind: 'int', value: -1 }, { kind: 'none' }, { kind: 'slice' },
      { kind: 'slice', start: 1, stop: 3 }, { kind: 'slice', start: 2, stop: 3 }, { kind: 'slice', step: 2 },
      { kind: 'slice', start: -2 }, { kind: 'slice', start: 5, stop: 9 },
    ];
    let checked = 0;
    const check = (items: IndexItem[]) => {
      const got = opRow('index').forward([x], { items });
      const { shape, map } = gatherMap(x, items, [x]);
      assert.deepEqual(got.shape, shape, JSON.stringify(items));
      assert.deepEqual(Array.from(got.data), Array.from(map, (o) => x.data[o]), JSON.stringify(items));
      checked++;
    };
    for (const a of choices) for (const b of choices) {
      check([a, b]);
      for (const c of choices) if (a.kind !== 'none' || b.kind !== 'none') check([a, b, c]);
      check([a, { kind: 'ellipsis' }, b]);
    }
    assert.ok(checked > 800);
  });
});
