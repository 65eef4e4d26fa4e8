// The WebAssembly SIMD backend against the plain TypeScript reference, over shapes that hit every
// edge of its 4×8 tiles and 256-deep panels, with both transpose flags.
import assert from 'node:assert/strict';
import { createWasmBackend, plainBackend } from '../../src/engine';

describe('wasm-simd matmul equals the reference backend', () => {
  const wasm = createWasmBackend();
  let seed = 1;
  const rand = (n: number) => Float32Array.from({ length: n }, () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; });
  const shapes = [[300, 200, 100], [1, 1, 1], [3, 2, 4], [4, 8, 8], [5, 7, 9], [33, 300, 17], [130, 513, 65], [64, 256, 50], [2, 1000, 3], [0, 3, 2], [3, 0, 2]];
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
});
