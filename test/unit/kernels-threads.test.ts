// The wasm matmul split over two threads, against one thread and the plain reference (see check).
// A race (shared stack or scratch, stale job words, memory grown under the helper) shows as a
// mismatch, so the big shapes run many times (GRADLENS_STRESS=50 for a long run).
import assert from 'node:assert/strict';
import { createWasmBackend, plainBackend } from '../../src/engine';
import { SPLIT_WORK, splitJob, type WasmBackend } from '../../src/engine/kernels/wasm';
import { Cut } from '../../src/engine/kernels/wasm-helper';

const iterations = Number(process.env.GRADLENS_STRESS ?? 5);

describe('wasm matmul on two threads', function () {
  this.timeout(120000);
  let seed = 7;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  // Operands are fresh views at random offsets into one pool: quick to make, and never the same array.
  const pool = Float32Array.from({ length: 1 << 23 }, () => random() - 0.5);
  const rand = (n: number) => {
    if (n > pool.length) throw new Error('pool too small');
    const at = int(0, pool.length - n);
    return pool.subarray(at, at + n);
  };
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // `every` splits every product, however small (k = 0 too), to reach the edges of the blocks.
  let one: WasmBackend, two: WasmBackend, every: WasmBackend;

  before(async () => {
    one = createWasmBackend({ threads: 1 });
    two = createWasmBackend();
    every = createWasmBackend({ splitWork: 0 });
    for (let waited = 0; (two.threads < 2 || every.threads < 2) && waited < 10000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    assert.equal(two.threads + every.threads, 4, 'the helper threads did not start');
  });
  after(() => { two.dispose(); every.dispose(); });

  /**
   * Two threads against one: bit for bit when C is cut by rows or columns; within 1e-5 and the
   * same bits on a second run when it is cut by depth (the blocks' sums are added in another
   * order). With withPlain, also against the reference within 1e-5.
   */
  function check(m: number, k: number, n: number, ta: boolean, tb: boolean, { a = rand(m * k), withPlain = false } = {}) {
    const b = rand(k * n), what = `${m}×${k}·${k}×${n} ta=${ta} tb=${tb}`;
    const want = new Float32Array(m * n), got = new Float32Array(m * n), again = new Float32Array(m * n);
    one.matmul(a, b, want, m, k, n, ta, tb);
    const scale = want.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
    for (const [backend, minWork] of [[two, SPLIT_WORK], [every, 0]] as const) {
      got.fill(NaN);
      backend.matmul(a, b, got, m, k, n, ta, tb);
      const depth = splitJob(m, k, n, minWork)?.cut === Cut.Depth;
      if (depth) {
        backend.matmul(a, b, again, m, k, n, ta, tb);
        assert.deepEqual(again, got, `${what}: two runs cut by depth differ`);
      }
      for (let i = 0; i < want.length; i++) {
        const same = depth ? Math.abs(got[i] - want[i]) <= 1e-5 * scale : Object.is(got[i], want[i]);
        if (!same) assert.fail(`${what}${depth ? ' by depth' : ''}: element ${i} (row ${Math.floor(i / n)}) is ${got[i]}, one thread gives ${want[i]}`);
      }
    }
    if (!withPlain) return;
    const ref = new Float32Array(m * n);
    plainBackend.matmul(a, b, ref, m, k, n, ta, tb);
    for (let i = 0; i < ref.length; i++) {
      if (!(Math.abs(ref[i] - got[i]) <= 1e-5 * scale)) assert.fail(`${what}: element ${i} is ${got[i]}, the reference gives ${ref[i]}`);
    }
  }

  it('equals the plain reference on products just above the split', () => {
    for (const [m, k, n, ta, tb] of [[301, 97, 77, false, true], [9, 30011, 9, true, false], [13, 171, 1003, true, true]] as const) {
      assert.ok(splitJob(m, k, n), `${m}×${k}×${n} should be split`);
      check(m, k, n, ta, tb, { withPlain: true });
    }
  });

  it('random shapes and transposes, every cut, odd sizes and k = 0', () => {
    for (let t = 0; t < 60; t++) {
      const small = t % 3 === 0;
      let m = small ? int(0, 40) : int(1, 400), n = small ? int(0, 40) : int(1, 400);
      const k = t % 10 === 0 ? 0 : small ? int(1, 40) : int(1, 200);
      if (t % 4 === 1) [m, n] = [int(1, 12), int(600, 2000)]; // a few rows, many columns: split by columns
      if (t % 7 === 2) [m, n] = [int(8, 12), int(8, 12)]; // too few rows or columns to cut in many blocks
      const kk = t % 7 === 2 ? int(20000, 40000) : k;
      check(m, kk, n, random() < 0.5, random() < 0.5, { withPlain: true });
    }
  });

  it('splits the big products, each its own way, and none of the small ones', () => {
    assert.equal(splitJob(50, 784, 50), null); // a training step of batch 50
    assert.equal(splitJob(50000, 784, 50)?.cut, Cut.Rows); // x @ w1
    assert.equal(splitJob(50000, 50, 784)?.cut, Cut.Rows); // g @ w1.T
    assert.equal(splitJob(784, 50000, 50)?.cut, Cut.Depth); // x.T @ g
    assert.equal(splitJob(10, 2000, 3000)?.cut, Cut.Columns);
    assert.equal(splitJob(7, 511, 15, 0), null); // nothing to cut in two
    const units = { [Cut.Rows]: 4, [Cut.Columns]: 8, [Cut.Depth]: 400 };
    for (const [m, k, n] of [[50000, 784, 50], [784, 50000, 50], [9, 30000, 9], [10, 2000, 3001], [1001, 2048, 3]]) {
      const job = splitJob(m, k, n, 0)!;
      const extent = [m, n, k][job.cut];
      assert.equal(job.bounds[0], 0);
      assert.equal(job.bounds[job.bounds.length - 1], extent);
      assert.ok(job.bounds.length >= 3 && job.bounds.length % 2 === 1, 'an even number of blocks');
      for (let i = 1; i < job.bounds.length - 1; i++) assert.equal(job.bounds[i] % units[job.cut], 0);
    }
  });

  it(`big shapes ${iterations} times each, with the memory growing between them`, () => {
    const shapes: [number, number, number, boolean, boolean][] = [
      [2003, 784, 50, false, false], [2003, 50, 784, true, true], [784, 4001, 51, true, false], [37, 3001, 1500, false, true],
    ];
    for (let it = 0; it < iterations; it++) {
      for (const [m, k, n, ta, tb] of shapes) check(m + it, k, n, ta, tb);
    }
  });

  it('the same A (copied once) with fresh Bs, back to back', () => {
    const a = rand(4000 * 300);
    for (let it = 0; it < 4 * iterations; it++) check(4000, 300, 33 + (it % 5), false, it % 2 === 1, { a });
  });

  it('works on one thread until its helper is ready', () => {
    const fresh = createWasmBackend();
    const a = rand(3000 * 784), w = rand(784 * 50), got = new Float32Array(3000 * 50), want = new Float32Array(3000 * 50);
    fresh.matmul(a, w, got, 3000, 784, 50, false, false); // right away: the helper is still starting
    fresh.dispose();
    one.matmul(a, w, want, 3000, 784, 50, false, false);
    assert.deepEqual(got, want);
  });

  it('a depth-cut product has the same bits before and after the helper is ready', async () => {
    const fresh = createWasmBackend();
    const a = rand(64 * 16384), g = rand(16384 * 64), early = new Float32Array(64 * 64), late = new Float32Array(64 * 64);
    fresh.matmul(a, g, early, 64, 16384, 64, true, false); // right away: the helper is still starting
    for (let waited = 0; fresh.threads < 2 && waited < 10000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fresh.threads, 2);
    fresh.matmul(a, g, late, 64, 16384, 64, true, false);
    fresh.dispose();
    assert.deepEqual(late, early);
  });

  it('a big product cut by rows goes into shared memory, each thread copying its own rows', () => {
    assert.equal(one.allocateProduct?.(1 << 22), null, 'one thread: a plain array');
    assert.equal(two.allocateProduct?.(1000), null, 'a small product: a plain array');
    assert.ok(two.allocateProduct?.(1 << 22)?.buffer instanceof SharedArrayBuffer, 'a big one: shared');
    for (let it = 0; it < iterations; it++) {
      // Rows (copied by both threads), then depth and columns (shared memory, copied here), at an
      // offset into a bigger shared array (a batch's slice).
      for (const [m, k, n, ta, tb] of [[20000 + it, 50, 97, false, true], [64, 20000, 40, true, false], [12, 60, 90000, false, false], [9000, 300, 130, true, false]] as const) {
        const a = rand(m * k), b = rand(k * n), want = new Float32Array(m * n);
        one.matmul(a, b, want, m, k, n, ta, tb);
        const whole = new Float32Array(new SharedArrayBuffer(4 * (m * n + 7)));
        const got = whole.subarray(7).fill(NaN);
        two.matmul(a, b, got, m, k, n, ta, tb);
        const depth = splitJob(m, k, n)?.cut === Cut.Depth, scale = want.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
        for (let i = 0; i < want.length; i++) {
          if (depth ? !(Math.abs(got[i] - want[i]) <= 1e-5 * scale) : !Object.is(got[i], want[i])) assert.fail(`${m}×${k}×${n}: element ${i} is ${got[i]}, one thread gives ${want[i]}`);
        }
        assert.ok(whole.subarray(0, 7).every((v) => v === 0), 'nothing written before the slice');
      }
    }
    assert.ok(two.rowsCopiedByHelper > 0, 'the helper copied none of the rows it computed');
  });

  it('an operand packed whole (its second use) on two threads, cut by depth and by rows', () => {
    for (const [m, k, n, ta] of [[300, 20000, 50, true], [6000, 300, 50, false]] as const) {
      const a = rand(m * k);
      check(m, k, n, ta, false, { a, withPlain: true }); // first use: copied
      check(m, k, n, ta, false, { a, withPlain: true }); // again: packed whole, read in place
      assert.equal(splitJob(m, k, n)?.cut, ta ? Cut.Depth : Cut.Rows);
    }
  });

  it('keeps working on one thread after dispose', () => {
    const b = createWasmBackend();
    b.dispose();
    assert.equal(b.threads, 1);
    const a = rand(600 * 500), w = rand(500 * 40), got = new Float32Array(600 * 40), want = new Float32Array(600 * 40);
    b.matmul(a, w, got, 600, 500, 40, false, false);
    one.matmul(a, w, want, 600, 500, 40, false, false);
    assert.deepEqual(got, want);
  });
});
