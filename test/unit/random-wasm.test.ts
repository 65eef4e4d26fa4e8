// The WebAssembly SIMD random kernels (src/engine/random/wasm/normal.c) against the JS ones they
// replace, bit for bit, and the JS fallback against the torch fixtures (random.test.ts runs the
// fixtures through the default path, which is wasm for fills of >= WASM_MIN elements).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, WASM_MIN, fmaf } from '../../src/engine/random';
import { normalFillAvx2Blocks } from '../../src/engine/random/fastnormal';
import { CHUNK, wasmRandom, type WasmRandom } from '../../src/engine/random/wasm-normal';

const here = dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(join(here, '../fixtures/random/random.json'), 'utf8'));

const sha = (a: ArrayBufferView) =>
  createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

/** Index of the first element that differs in its bits (-0 vs +0 included), or -1. */
function firstDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, 'length');
  const ai = new Int32Array(a.buffer, a.byteOffset, a.length);
  const bi = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ai.length; i++) if (ai[i] !== bi[i]) return i;
  return -1;
}

function assertSameEngine(a: Generator, b: Generator, label: string): void {
  assert.equal(a.engine.left, b.engine.left, label + ': left');
  assert.equal(a.engine.next, b.engine.next, label + ': next');
  assert.equal(sha(a.engine.state), sha(b.engine.state), label + ': state words');
}

describe('random: WebAssembly SIMD kernels', () => {
  let w: WasmRandom;
  before(() => {
    const got = wasmRandom();
    assert.ok(got, 'Node has WebAssembly SIMD, so the wasm kernels must load');
    w = got;
  });

  it('Box–Muller blocks equal the JS kernel for every float32 uniform, as u1 and as θ', function () {
    this.timeout(120000);
    // k·2^-24 for every k once at a u1 position (j < 8 of a block) and once, scrambled, at a θ
    // position (j >= 8). r depends on u1 only and sin/cos on θ only, so this covers every input.
    const K = 1 << 24;
    const u = new Float32Array(2 * K);
    for (let k = 0; k < K; k++) {
      const b = (k >> 3) * 16, j = k & 7;
      u[b + j] = k * 2 ** -24;
      u[b + 8 + j] = (Math.imul(k, 0x9e3779b1) & 0xffffff) * 2 ** -24;
    }
    const js = u.slice();
    normalFillAvx2Blocks(js, 0, js.length);
    w.normalBlocks(u, 0, u.length);
    const i = firstDiff(js, u);
    assert.equal(i, -1, i < 0 ? '' : `element ${i}: js ${js[i]}, wasm ${u[i]}`);
  });

  it('fmadd(x, std, mean) equals fmaf, also where the double sum lands on a float32 tie', () => {
    const f = Math.fround;
    const g = new Generator(9);
    const x = g.randn(1 << 16);
    x.set([0, -0, 1, -1, f(2 ** -24), f(3e38), -f(3e38), Infinity]);
    const c = f(1 + 2 ** -23);
    const b = f((1 - 2 ** -23) * 2 ** -24);
    for (const [std, mean] of [[2, 0.5], [f(0.1), f(-3.7)], [c, c], [f(1e-3), f(7)], [-1, 0], [f(3e38), f(3e38)]]) {
      const y = x.slice();
      w.fmadd(y, std, mean);
      const ref = x.map((v) => fmaf(v, std, mean));
      const i = firstDiff(ref, y);
      assert.equal(i, -1, `std ${std} mean ${mean}, element ${i}: ${ref[i]} vs ${y[i]}`);
    }
    assert.equal(f(b * c + c), 1 + 2 ** -22, 'a tie case: rounding the double sum picks the wrong side');
    const ties = new Float32Array([b, -b, 0, 1]);
    w.fmadd(ties, c, c);
    assert.equal(ties[0], c);
    assert.deepEqual(Array.from(ties), [b, -b, 0, 1].map((v) => fmaf(v, c, c)));
  });

  it('uniform fill: same floats, same MT19937 state as the JS engine across twists and chunks', () => {
    const sizes = [0, 1, 3, 623, 624, 625, 1000, CHUNK - 1, CHUNK, CHUNK + 17, 3 * CHUNK + 5];
    for (const warmup of [0, 1, 311, 623]) {
      const a = new Generator(77), b = new Generator(77);
      a.engine.fillUniform24(new Float32Array(warmup), 0, warmup);
      b.engine.fillUniform24(new Float32Array(warmup), 0, warmup);
      for (const n of sizes) {
        const x = new Float32Array(n + 3), y = new Float32Array(n + 3);
        a.engine.fillUniform24(x, 2, n);
        w.fillUniform(b.engine, y, 2, n);
        assert.equal(firstDiff(x, y), -1, `warmup ${warmup}, n ${n}`);
        assertSameEngine(a, b, `warmup ${warmup}, n ${n}`);
      }
    }
  });

  it('Generator: the wasm and the JS path agree on values and state, around WASM_MIN and the chunk size', () => {
    const sizes = [WASM_MIN - 1, WASM_MIN, WASM_MIN + 7, 1000, CHUNK + 3, 2 * CHUNK, 50021];
    const ops: [string, (g: Generator, n: number) => Float32Array][] = [
      ['rand', (g, n) => g.rand(n)],
      ['randn', (g, n) => g.randn(n)],
      ['normal_(0.5, 2)', (g, n) => { const o = new Float32Array(n); g.normal_(o, 0.5, 2); return o; }],
      ['uniform_(-3, 0.25)', (g, n) => { const o = new Float32Array(n); g.uniform_(o, -3, 0.25); return o; }],
      ['default capability normal_', (g, n) => { g.capability = 'default'; const o = new Float32Array(n); g.normal_(o, 1, 3); return o; }],
    ];
    for (const [name, op] of ops) {
      for (const n of sizes) {
        const viaWasm = new Generator(5), viaJs = new Generator(5);
        viaJs.useWasm = false;
        const i = firstDiff(op(viaJs, n), op(viaWasm, n));
        assert.equal(i, -1, `${name}(${n}) differs at ${i}`);
        assertSameEngine(viaJs, viaWasm, `${name}(${n})`);
      }
    }
  });

  it('the JS fallback still matches the torch fixtures (float32 fills of >= WASM_MIN elements)', () => {
    const f32 = (b64: string) => { const b = Buffer.from(b64, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
    const cases = fx.ops.filter((c: { op: string; n: number }) =>
      ['rand', 'randn', 'normal_', 'uniform_'].includes(c.op) && c.n >= WASM_MIN);
    assert.ok(cases.length >= 12, 'fixture cases');
    for (const c of cases) {
      const g = new Generator(c.seed);
      g.useWasm = false;
      const out = new Float32Array(c.n);
      if (c.op === 'rand') out.set(g.rand(c.n));
      else if (c.op === 'randn') out.set(g.randn(c.n));
      else if (c.op === 'normal_') g.normal_(out, c.args.mean, c.args.std);
      else g.uniform_(out, c.args.from, c.args.to);
      assert.equal(firstDiff(f32(c.out.b64), out), -1, `${c.op}(${c.n}) seed ${c.seed}`);
      assert.equal(sha(g.getState()), c.state, `${c.op}(${c.n}) seed ${c.seed}: rng state`);
    }
    const big = fx.big.find((b: { op: string }) => b.op === 'normal_');
    const g = new Generator(big.seed);
    g.useWasm = false;
    const out = new Float32Array(big.shape[0]);
    g.normal_(out, big.mean, big.std);
    assert.equal(sha(out), big.out.sha256, 'normal_ 100000 through the JS path');
  });
});
