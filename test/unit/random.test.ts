// Issue 7: the engine's generator reproduces PyTorch's CPU generator number for number.
// Fixtures come from real torch 1.13 (test/fixtures/make_random_fixtures.py).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, Generator, STATE_BYTES, defaultGenerator, fmaf } from '../../src/engine/random';
import { logAvx, normalFill16, sincosAvx } from '../../src/engine/random/boxmuller';
import { normalFillAvx2Blocks } from '../../src/engine/random/fastnormal';

const here = dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(join(here, '../fixtures/random/random.json'), 'utf8'));

interface Enc { dtype: string; b64: string }
interface Digest { dtype: string; n: number; sha256: string; sum: number; sumsq: number; first: number[]; last: number[] }

function bytesOf(e: Enc): Uint8Array {
  return new Uint8Array(Buffer.from(e.b64, 'base64'));
}
function decode(e: Enc): number[] {
  const b = bytesOf(e);
  const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  switch (e.dtype) {
    case 'float32': return Array.from(new Float32Array(buf));
    case 'float64': return Array.from(new Float64Array(buf));
    case 'int64': return Array.from(new BigInt64Array(buf), Number);
    default: throw new Error('dtype ' + e.dtype);
  }
}
function sha(a: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}
/** Max |a - b|; throws on length mismatch. */
function maxDiff(ref: ArrayLike<number>, got: ArrayLike<number>): number {
  assert.equal(got.length, ref.length, 'length');
  let m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i] - got[i]));
  return m;
}
function bitExact(ref: ArrayLike<number>, got: ArrayLike<number>): boolean {
  if (ref.length !== got.length) return false;
  for (let i = 0; i < ref.length; i++) if (!Object.is(ref[i], got[i]) && ref[i] !== got[i]) return false;
  return true;
}
function checkDigest(d: Digest, got: Float32Array, label: string): void {
  assert.equal(got.length, d.n, label + ' length');
  assert.ok(maxDiff(d.first, got.subarray(0, 8)) <= 1e-6, label + ' first values');
  assert.ok(maxDiff(d.last, got.subarray(got.length - 8)) <= 1e-6, label + ' last values');
  let s = 0, s2 = 0;
  for (let i = 0; i < got.length; i++) { s += got[i]; s2 += got[i] * got[i]; }
  assert.ok(Math.abs(s - d.sum) <= 1e-6 * got.length, `${label} sum ${s} vs ${d.sum}`);
  assert.ok(Math.abs(s2 - d.sumsq) <= 1e-6 * got.length, `${label} sumsq ${s2} vs ${d.sumsq}`);
  assert.equal(sha(got), d.sha256, label + ' sha256 of the float32 bytes (bit-exact)');
}

/** Run op `name` on a freshly seeded generator, as the fixture script did. */
function runOp(g: Generator, op: string, n: number, args: Record<string, unknown>): ArrayLike<number> {
  switch (op) {
    case 'rand': return g.rand(n);
    case 'randn': return g.randn(n);
    case 'rand_f64': return g.randDouble(n);
    case 'randn_f64': return g.randnDouble(n);
    case 'uniform_': { const o = new Float32Array(n); g.uniform_(o, args.from as number, args.to as number); return o; }
    case 'normal_': { const o = new Float32Array(n); g.normal_(o, args.mean as number, args.std as number); return o; }
    case 'randint': case 'randint_big': return g.randint(args.low as number, args.high as number, n);
    case 'randperm': return g.randperm(n);
    case 'bernoulli': return g.bernoulli(Float32Array.from(decode(args.p as Enc)));
    case 'bernoulli_scalar': return g.bernoulliScalar(n, args.p as number);
    case 'dropout': case 'dropout_half': return g.dropoutMask(n, args.p as number);
    case 'kaiming_uniform_': { const o = new Float32Array(n * 3); g.kaimingUniform_(o, args.fanIn as number, args.a as number); return o; }
    case 'linear': { const l = g.linearInit(args.in as number, args.out as number, true); return [...l.weight, ...l.bias!]; }
    default: throw new Error('unknown op ' + op);
  }
}

/** Ops whose values go through libm double sin/cos/log (glibc vs V8 may differ by 1 ulp of a double). */
const viaDoubleLibm = (op: string, n: number) => op === 'randn_f64' || ((op === 'randn' || op === 'normal_') && n < 16);

describe('random: PyTorch CPU generator (torch ' + fx.meta.torch + ', ' + fx.meta.capability + ')', () => {
  describe('every op × seeds 0, 1, 42 × sizes 1, 7, 15, 16, 17, 1000', () => {
    for (const c of fx.ops) {
      it(`${c.op}(n=${c.n}) seed ${c.seed}`, () => {
        const g = new Generator(c.seed);
        const got = runOp(g, c.op, c.n, c.args);
        const ref = decode(c.out);
        if (c.out.dtype === 'int64') {
          assert.deepEqual(Array.from(got), ref);
        } else if (viaDoubleLibm(c.op, c.n)) {
          assert.ok(maxDiff(ref, got) <= (c.out.dtype === 'float64' ? 1e-12 : 1e-6), `max diff ${maxDiff(ref, got)}`);
        } else {
          assert.ok(bitExact(ref, got), `not bit-exact, max diff ${maxDiff(ref, got)}`);
        }
        // generator left in the same place: the state bytes match torch.get_rng_state()
        // (the cached double normal, when present, may differ in its last bit)
        if (g.nextDoubleNormal === null) assert.equal(sha(g.getState()), c.state, 'rng state after the op');
      });
    }
  });

  describe('50000×784 and other big tensors (hash + first/last)', () => {
    for (const b of fx.big) {
      it(`${b.op} ${b.shape.join('×')} seed ${b.seed}`, function () {
        this.timeout(60000);
        const g = new Generator(b.seed);
        const n = b.shape.reduce((x: number, y: number) => x * y, 1);
        let got: Float32Array;
        if (b.op === 'randn') got = g.randn(n);
        else if (b.op === 'rand') got = g.rand(n);
        else { got = new Float32Array(n); g.normal_(got, b.mean, b.std); }
        checkDigest(b.out, got, b.op);
      });
    }
  });

  describe('whole scripts', () => {
    for (const s of fx.sequences.filter((q: { kind: string }) => q.kind === 'mlp')) {
      it(`seed ${s.seed}: Sequential(Linear(784,50), ReLU, Linear(50,10)), randn batch, randperm, randint, dropout`, function () {
        this.timeout(20000);
        const g = new Generator().manualSeed(s.seed);
        const l1 = g.linearInit(784, 50, true);
        const l2 = g.linearInit(50, 10, true);
        const x = g.randn(64 * 784);
        const perm = g.randperm(1000);
        const y = g.randint(0, 10, 64);
        const drop = g.dropoutMask(50, 0.5);
        const small = g.randn(5);
        const st = s.steps;
        checkDigest(st.w1, l1.weight, 'w1');
        assert.ok(bitExact(decode(st.b1), l1.bias!), 'b1');
        assert.ok(bitExact(decode(st.w2), l2.weight), 'w2');
        assert.ok(bitExact(decode(st.b2), l2.bias!), 'b2');
        checkDigest(st.x, x, 'x');
        assert.deepEqual(Array.from(perm), decode(st.perm));
        assert.deepEqual(Array.from(y), decode(st.y));
        assert.ok(bitExact(decode(st.drop), drop), 'dropout mask');
        assert.ok(maxDiff(decode(st.small), small) <= 1e-6, 'randn(5)');
        const ref = bytesOf(s.state);
        const mine = g.getState();
        // all but the cached normal_y (offset 5024, 8 bytes) byte-identical
        assert.deepEqual(mine.subarray(0, 5024), ref.subarray(0, 5024));
        assert.deepEqual(mine.subarray(5032), ref.subarray(5032));
      });
    }

    it('interleaving: small randn uses and refills the cached second normal; big randn and rand do not touch it', () => {
      const s = fx.sequences.find((q: { kind: string }) => q.kind === 'interleave');
      const g = new Generator(42);
      const out: number[] = [];
      const normalSmall = () => { const o = new Float32Array(3); g.normal_(o, 1, 3); return o; };
      for (const part of [g.randn(1), g.randn(1), g.randn(3), g.rand(2), g.randn(20), g.randn(5), normalSmall(),
        g.randn(1), g.randint(0, 7, 3), g.randn(2), Float32Array.from(g.randnDouble(1)), g.randn(1)]) out.push(...part);
      assert.ok(maxDiff(decode(s.out), out) <= 1e-6, `max diff ${maxDiff(decode(s.out), out)}`);
      const ref = bytesOf(s.state);
      assert.deepEqual(g.getState().subarray(0, 5024), ref.subarray(0, 5024));
      assert.deepEqual(g.getState().subarray(5032), ref.subarray(5032));
    });

    it('get/set_rng_state round trip keeps the cached normal', () => {
      const s = fx.sequences.find((q: { kind: string }) => q.kind === 'state_roundtrip');
      const g = new Generator(7);
      g.randn(1);
      const st = g.getState();
      const ref = bytesOf(s.state);
      assert.equal(st.length, STATE_BYTES);
      assert.deepEqual(st.subarray(0, 5024), ref.subarray(0, 5024));
      assert.ok(maxDiff(decode(s.a), g.randn(3)) <= 1e-6, 'a');
      g.setState(ref); // torch's own bytes
      assert.ok(maxDiff(decode(s.b), g.randn(3)) <= 1e-6, 'b after set_rng_state');
      g.setState(st); // our bytes
      assert.ok(maxDiff(decode(s.b), g.randn(3)) <= 1e-6, 'b after setState(getState())');
    });

    it('torch.Generator objects passed as generator=', () => {
      const s = fx.sequences.find((q: { kind: string }) => q.kind === 'generator');
      const g = new Generator().manualSeed(5);
      assert.ok(bitExact(decode(s.a), g.randn(20)));
      assert.ok(bitExact(decode(s.b), g.rand(3)));
      assert.deepEqual(Array.from(g.randperm(10)), decode(s.c));
    });

    for (const s of fx.sequences.filter((q: { kind: string }) => q.kind === 'seed')) {
      it(`manual_seed(${s.seed}): initial_seed and rand`, () => {
        const g = new Generator().manualSeed(BigInt(s.seed));
        assert.equal(g.initialSeed().toString(), s.initial_seed);
        assert.ok(bitExact(decode(s.rand), g.rand(4)));
      });
    }
  });

  describe('generator API', () => {
    it('default seed is 67280421310721 like torch.default_generator', () => {
      assert.equal(DEFAULT_SEED.toString(), fx.meta.default_initial_seed);
      assert.equal(new Generator().initialSeed(), DEFAULT_SEED);
      assert.equal(defaultGenerator.initialSeed(), DEFAULT_SEED);
    });

    it('seed() picks a fresh 64-bit seed, reported by initialSeed(), and reseeds', () => {
      const g = new Generator();
      const s1 = g.seed();
      const a = g.rand(3);
      assert.equal(g.initialSeed(), s1);
      assert.ok(bitExact(new Generator(s1).rand(3), a));
      assert.notEqual(g.seed(), s1);
    });

    it('setState rejects wrong sizes and out-of-range left/next; accepts the legacy 5048-byte format', () => {
      const g = new Generator(3);
      assert.throws(() => g.setState(new Uint8Array(10)), /5056/);
      const bad = g.getState();
      new DataView(bad.buffer).setInt32(8, 0, true);
      assert.throws(() => g.setState(bad), /left/);
      const st = new Generator(3).getState();
      g.rand(5);
      g.setState(st.slice(0, 5048));
      assert.ok(bitExact(new Generator(3).rand(4), g.rand(4)));
    });

    it('randint validates its range, handles a range >= 2^32 with random64', () => {
      const g = new Generator(0);
      assert.throws(() => g.randint(3, 3, 1), /from=3 >= to=3/);
      const v = g.randint(0, 2 ** 40, 100);
      assert.ok(v.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 40));
    });

    it('dropout mask: p = 0 keeps everything, p = 1 drops everything, consuming nothing', () => {
      const g = new Generator(0);
      const before = sha(g.getState());
      assert.deepEqual(Array.from(g.dropoutMask(4, 0)), [1, 1, 1, 1]);
      assert.deepEqual(Array.from(g.dropoutMask(4, 1)), [0, 0, 0, 0]);
      assert.equal(sha(g.getState()), before);
      assert.throws(() => g.dropoutMask(2, 1.5), /between 0 and 1/);
    });
  });

  describe('float32 emulation helpers', () => {
    it('fmaf rounds the exact a*b+c once, also where double rounding would go wrong', () => {
      const f = Math.fround;
      assert.equal(fmaf(f(2 ** -24), 1, 1), 1); // exact tie: to even
      assert.equal(fmaf(f(3), f(5), f(0.5)), 15.5);
      // exact = 1 + 2^-23 + 2^-24 - 2^-70, just below a tie; the double sum lands on the tie
      const c = f(1 + 2 ** -23);
      const b = f((1 - 2 ** -23) * 2 ** -24);
      assert.equal(Math.fround(c * b + c), 1 + 2 ** -22, 'double rounding picks the wrong side');
      assert.equal(fmaf(c, b, c), c);
      assert.equal(fmaf(-c, b, -c), -c);
    });

    it('the 4-lane fast kernel equals the one-lane reference (log256_ps / sincos256_ps with FMAs)', () => {
      const g = new Generator(123);
      const n = 16 * 4096;
      const u = g.rand(n);
      u[0] = 0; u[8] = 0; u[1] = 1 - 2 ** -24; u[9] = 1 - 2 ** -24; // extremes of u1 and theta
      const fast = u.slice();
      const ref = u.slice();
      normalFillAvx2Blocks(fast, 0, n);
      for (let i = 0; i < n; i += 16) normalFill16(ref, i, 0, 1, 'avx2');
      assert.ok(bitExact(ref, fast));
      assert.equal(logAvx(1, true), 0);
      const sc = new Float64Array(2);
      sincosAvx(0, true, sc);
      assert.deepEqual(Array.from(sc), [0, 1]);
    });
  });
});
