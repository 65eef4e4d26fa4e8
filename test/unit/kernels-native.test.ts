// The native AVX2 backend against the plain TypeScript reference: every edge of its 6×16 tiles
// (the last ≤ 4 columns are dot products, any depth mod 8), depth panels (≤ 800, or ≤ 256 for a
// transposed A read in place, split evenly; a transposed A of ≤ 120 rows is packed), both
// transpose flags, the transposed product it computes as (g.T @ x).T, two threads, and the errors
// of bad arguments.
import assert from 'node:assert/strict';
import { createNativeBackend, loadNativeAddon, plainBackend } from '../../src/engine';
import { NATIVE_ADDON } from '../../src/engine/kernels/native';

const found = loadNativeAddon();
// esbuild.js builds the addon on x86-64 Linux with a C compiler (CI installs build-essential).
const expected = process.platform === 'linux' && process.arch === 'x64';

it(`the native addon ${NATIVE_ADDON} is built and loads here${expected ? '' : ' (not expected on this platform)'}`, function () {
  if (!expected) this.skip();
  assert.ok('addon' in found, 'reason' in found ? found.reason : '');
});

function random(seed: number) {
  return (n: number) => Float32Array.from({ length: n }, () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; });
}

function assertClose(got: Float32Array, ref: Float32Array, what: string) {
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < ref.length; i++) {
    assert.ok(Math.abs(ref[i] - got[i]) <= 1e-5 * Math.max(scale, 1), `${what}, element ${i}: ${got[i]} vs ${ref[i]}`);
  }
}

describe('native-avx2 matmul equals the reference backend', function () {
  before(function () { if (!('addon' in found)) this.skip(); });
  const rand = random(5);
  // 6×16 tiles: rows 1, 5, 6, 7, 13; columns 1, 15, 16, 17, 50; depths 1, 256, 257, 800, 801, 1000;
  // dot-product columns (1–4) under every count of leftover rows (11, 5, 9, 2: 5, 5, 3, 2).
  const shapes = [[1, 1, 1], [5, 3, 15], [6, 256, 16], [7, 257, 17], [13, 800, 50], [130, 801, 33], [64, 1000, 50], [2, 1000, 3],
    [300, 200, 100], [0, 3, 2], [3, 0, 2], [4, 5, 0], [11, 19, 18], [5, 19, 3], [9, 19, 20], [2, 9, 4]];
  for (const threads of [1, 2] as const) {
    const native = createNativeBackend({ threads });
    for (const [m, k, n] of shapes) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        it(`${threads} thread${threads > 1 ? 's' : ''}: ${m}×${k} @ ${k}×${n}${ta ? ' transA' : ''}${tb ? ' transB' : ''}`, () => {
          const a = rand(m * k), b = rand(k * n);
          const ref = new Float32Array(m * n), got = new Float32Array(m * n).fill(NaN);
          plainBackend.matmul(a, b, ref, m, k, n, ta, tb);
          native!.matmul(a, b, got, m, k, n, ta, tb);
          assertClose(got, ref, `${m}×${k}×${n}`);
        });
      }
    }
  }

  it('big enough to be split and turned: x.T @ g (transA, n < m) and x @ w, on one thread and two, the same bits', () => {
    const one = createNativeBackend({ threads: 1 })!, two = createNativeBackend({ threads: 2 })!;
    // Transposed A of 121–241 rows: each thread's half is ≤ 120 rows, the whole is not (A is not packed).
    for (const [m, k, n, ta] of [[200, 3000, 50, true], [3000, 200, 50, false], [40, 3000, 200, false], [3000, 40, 300, false],
      [200, 1000, 300, true], [300, 1000, 200, true]] as const) {
      const a = rand(m * k), b = rand(k * n);
      const ref = new Float32Array(m * n), got1 = new Float32Array(m * n).fill(NaN), got2 = new Float32Array(m * n).fill(NaN);
      plainBackend.matmul(a, b, ref, m, k, n, ta, false);
      one.matmul(a, b, got1, m, k, n, ta, false);
      two.matmul(a, b, got2, m, k, n, ta, false);
      assertClose(got1, ref, `${m}×${k}×${n}`);
      assert.deepEqual(got2, got1, `${m}×${k}×${n}: two threads, other bits`);
    }
  });

  it('works on views at an offset into a bigger buffer, and writes nothing outside out', () => {
    const native = createNativeBackend({ threads: 2 })!;
    const buffer = rand(10 + 70 * 90 + 90 * 40 + 70 * 40 + 10);
    const a = buffer.subarray(10, 10 + 70 * 90), b = buffer.subarray(10 + 70 * 90, 10 + 70 * 90 + 90 * 40);
    const outBuffer = new Float32Array(70 * 40 + 16).fill(7), out = outBuffer.subarray(8, 8 + 70 * 40);
    const ref = new Float32Array(70 * 40);
    plainBackend.matmul(a, b, ref, 70, 90, 40, false, false);
    native.matmul(a, b, out, 70, 90, 40, false, false);
    assertClose(out, ref, '70×90×40 at an offset');
    assert.deepEqual([...outBuffer.subarray(0, 8), ...outBuffer.subarray(8 + 70 * 40)], new Array(16).fill(7));
  });

  it('refuses arrays shorter than their shape and arguments that are not Float32Arrays, with a message', () => {
    const { addon } = found as Extract<typeof found, { addon: unknown }>;
    const f = new Float32Array(6);
    assert.throws(() => addon.matmul(f, f, new Float32Array(3), 2, 3, 2, 0, 0, 1), /shorter than its shape/);
    assert.throws(() => addon.matmul(f, new Float64Array(6) as unknown as Float32Array, f, 2, 3, 2, 0, 0, 1), /Float32Arrays/);
    assert.throws(() => addon.matmul(f, f, f, -1, 3, 2, 0, 0, 1), /numbers ≥ 0/);
    assert.throws(() => addon.matmul(f, f, f, 2.5, 1, 2, 0, 0, 1), /whole numbers/);
    assert.throws(() => addon.matmul(f, f, f, 2 ** 32 + 2, 1, 1, 0, 0, 1), /whole numbers/);
    // Sizes whose products overflow 64 bits must not pass the length checks.
    assert.throws(() => addon.binary(0, new Float32Array(8), f, f, 2 ** 32, 2 ** 32, 0, 0, 0, 0, 0, 0), /shorter than rows × len/);
    assert.throws(() => addon.binary(0, new Float32Array(64), f, f, 9, 1, 0, 2 ** 52, 1, 0, 0, 1), /shorter than its offsets/);
  });
});
