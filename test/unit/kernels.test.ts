// The WebAssembly SIMD backend against the plain TypeScript reference, over shapes that hit every
// edge of its 4×8 tiles and its depth panels (≤ 400, split evenly), with both transpose flags.
import assert from 'node:assert/strict';
import { createWasmBackend, plainBackend } from '../../src/engine';

it('wasm-simd uses the fused multiply-add build on this Node (relaxed SIMD, turned on by the backend)', () => {
  const fused = createWasmBackend({ threads: 1 });
  assert.equal(fused.fused, true);
  assert.equal(createWasmBackend({ threads: 1, fused: false }).fused, false);
});

for (const fused of [true, false]) describe(`wasm-simd matmul (${fused ? 'fused' : 'plain'} build) equals the reference backend`, () => {
  const wasm = createWasmBackend({ fused });
  let seed = 1;
  const rand = (n: number) => Float32Array.from({ length: n }, () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; });
  const shapes = [[300, 200, 100], [1, 1, 1], [3, 2, 4], [4, 8, 8], [5, 7, 9], [33, 300, 17], [130, 513, 65], [64, 256, 50], [2, 1000, 3], [9, 401, 10], [6, 784, 50], [5, 803, 9], [0, 3, 2], [3, 0, 2]];
  for (const [m, k, n] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      it(`${m}×${k} @ ${k}×${n}${ta ? ' transA' : ''}${tb ? ' transB' : ''}`, () => {
        const a = rand(m * k), b = rand(k * n);
        const ref = new Float32Array(m * n), got = new Float32Array(m * n).fill(NaN);
        plainBackend.matmul(a, b, ref, m, k, n, ta, tb);
        wasm.matmul(a, b, got, m, k, n, ta, tb);
        let scale = 0;
        for (const v of ref) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < ref.length; i++) {
          assert.ok(Math.abs(ref[i] - got[i]) <= 1e-5 * Math.max(scale, 1), `element ${i}: ${got[i]} vs ${ref[i]}`);
        }
      });
    }
  }
  after(() => wasm.dispose());
});

describe('wasm-simd keeps the biggest operand in the module between products', () => {
  it('big, small, big again, a bigger one, the first again: every product still right', () => {
    const wasm = createWasmBackend({ threads: 1 });
    let seed = 3;
    const rand = (n: number) => Float32Array.from({ length: n }, () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; });
    const x = rand(300 * 64), small = rand(50 * 64), bigger = rand(500 * 64), w = rand(64 * 8);
    for (const [a, m] of [[x, 300], [small, 50], [x, 300], [bigger, 500], [x, 300], [small, 50], [bigger, 500]] as const) {
      const ref = new Float32Array(m * 8), got = new Float32Array(m * 8).fill(NaN);
      plainBackend.matmul(a, w, ref, m, 64, 8, false, false);
      wasm.matmul(a, w, got, m, 64, 8, false, false);
      for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(ref[i] - got[i]) <= 1e-5, `m=${m} element ${i}: ${got[i]} vs ${ref[i]}`);
      // And as the transposed left operand, which reads the same cached copy.
      const refT = new Float32Array(64 * 64), gotT = new Float32Array(64 * 64);
      const g = rand(m * 64);
      plainBackend.matmul(a, g, refT, 64, m, 64, true, false);
      wasm.matmul(a, g, gotT, 64, m, 64, true, false);
      for (let i = 0; i < refT.length; i++) assert.ok(Math.abs(refT[i] - gotT[i]) <= 1e-4, `transposed m=${m} element ${i}`);
    }
    wasm.dispose();
  });
});

describe('wasm-simd packs an operand it sees again whole (pack_a_full)', () => {
  it('the same bits as packing it per product, for both transpose flags, odd sizes and a reshaped view', () => {
    let seed = 11;
    const rand = (n: number) => Float32Array.from({ length: n }, () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; });
    const a = rand(301 * 803);
    const kept = createWasmBackend({ threads: 1 });
    // m × k of op(A): the array read as 301×803, its transpose, and reshaped to 803×301 and 7×34529.
    const uses: [number, number, boolean][] = [[301, 803, false], [803, 301, true], [301, 803, false], [803, 301, true], [803, 301, false], [7, 34529, false], [301, 803, false]];
    for (const [m, k, ta] of uses) {
      for (const n of [9, 50]) {
        const b = rand(k * n), want = new Float32Array(m * n), got = new Float32Array(m * n).fill(NaN);
        createWasmBackend({ threads: 1 }).matmul(a, b, want, m, k, n, ta, false); // a fresh backend packs per product
        kept.matmul(a, b, got, m, k, n, ta, false);
        for (let i = 0; i < want.length; i++) {
          if (!Object.is(got[i], want[i])) assert.fail(`${m}×${k}${ta ? ' transA' : ''} · n=${n}: element ${i} is ${got[i]}, packed per product ${want[i]}`);
        }
      }
    }
    kept.dispose();
  });
});
