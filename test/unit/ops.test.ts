// Every op row against real PyTorch (committed fixtures) and by a finite-difference VJP check
// (HIPS autograd's check_vjp: ⟨J v, u⟩ by central differences equals ⟨v, VJPᵀ u⟩).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { opTable, runBackward, Session, Tensor, type Params } from '../../src/engine';
import { assertClose, toTensor, type FixtureTensor } from './helpers';

interface OpCase {
  op: string;
  params: Params;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  upstream?: FixtureTensor;
  grads?: (FixtureTensor | null)[];
  note?: string;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/ops/ops.json'), 'utf8')) as { cases: OpCase[] };
const describeCase = (c: OpCase) =>
  `${c.op}(${c.inputs.map((i) => `(${i.shape.join(',')})${i.dtype === 'float32' ? '' : ':' + i.dtype}`).join(', ')})` +
  `${Object.keys(c.params).length ? ' ' + JSON.stringify(c.params) : ''}${c.note ? ' — ' + c.note : ''}`;

function forward(c: OpCase, inputs: Tensor[]): Tensor {
  const s = new Session();
  return s.op(c.op, inputs.map((t) => s.leaf(t)), c.params).value;
}

function vjps(c: OpCase, upstream: Tensor): Map<number, Tensor> {
  const s = new Session();
  const leaves = c.inputs.map((i) => s.leaf(toTensor(i)));
  const out = s.op(c.op, leaves, c.params);
  const { grads } = runBackward(out.node, upstream);
  const result = new Map<number, Tensor>();
  leaves.forEach((l, i) => { const g = grads.get(l.node); if (g) result.set(i, g); });
  return result;
}

const dot = (a: Tensor, b: Tensor) => { let s = 0; for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i]; return s; };

function randomLike(t: { shape: readonly number[] }, seed: number): Tensor {
  let x = seed * 2654435761 % 4294967296;
  const n = t.shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, () => { x = (x * 1664525 + 1013904223) % 4294967296; return x / 4294967296 - 0.5; });
  return Tensor.from(v, t.shape);
}

describe('op rows against PyTorch', () => {
  for (const c of fixture.cases) {
    it(describeCase(c), () => {
      const out = forward(c, c.inputs.map(toTensor));
      assertClose(out, c.output, 'output');
      if (!c.upstream || !c.grads) return;
      const got = vjps(c, toTensor(c.upstream));
      c.grads.forEach((g, i) => {
        if (!g) return;
        const mine = got.get(i);
        assert.ok(mine, `no gradient for input ${i}`);
        assertClose(mine, g, `grad of input ${i}`, 1e-4, 1e-5);
      });
    });
  }
});

describe('op rows by finite differences', () => {
  const eps = 1e-2;
  for (const c of fixture.cases.filter((k) => k.grads)) {
    it(describeCase(c), () => {
      const inputs = c.inputs.map(toTensor);
      const u = randomLike(c.output, 7);
      const got = vjps(c, u);
      c.inputs.forEach((inp, i) => {
        if (inp.dtype !== 'float32' || !c.grads?.[i]) return;
        const v = randomLike(inp, 13 + i);
        const shifted = (sign: number) => {
          const xs = inputs.slice();
          xs[i] = Tensor.from(inputs[i].data.map((x, k) => x + sign * eps * v.data[k]), inp.shape);
          return forward(c, xs);
        };
        const plus = shifted(1), minus = shifted(-1);
        let jvpDotU = 0;
        for (let k = 0; k < plus.size; k++) jvpDotU += ((plus.data[k] - minus.data[k]) / (2 * eps)) * u.data[k];
        const vjpDotV = dot(got.get(i)!, v);
        if (Number.isNaN(jvpDotU) && Number.isNaN(vjpDotV)) return; // e.g. d(a**b)/db at a < 0, as in PyTorch
        const scale = Math.max(1, Math.abs(jvpDotU), Math.abs(vjpDotV));
        assert.ok(Math.abs(jvpDotU - vjpDotV) <= 2e-2 * scale,
          `input ${i}: ⟨Jv,u⟩ = ${jvpDotU} by finite differences, ⟨v,VJP(u)⟩ = ${vjpDotV}`);
      });
    });
  }
});

describe('the op table', () => {
  const covered = new Set(fixture.cases.map((c) => c.op));
  const differentiated = new Set(fixture.cases.filter((c) => c.grads?.some(Boolean)).map((c) => c.op));
  for (const [name, row] of opTable) {
    it(`${name}: has a PyTorch fixture${row.differentiable ? ', formulas and a VJP check' : ''}`, () => {
      assert.ok(covered.has(name), `op ${name} has no PyTorch fixture case: add one to test/fixtures/make_op_fixtures.py`);
      if (!row.differentiable) return;
      const arity = row.variadic ? 1 : row.inputNames.length;
      assert.equal(row.formulas.length, arity, 'one formula per input');
      assert.equal(row.vjps.length, arity, 'one VJP per input');
      row.formulas.forEach((f) => assert.ok(f.trim().length > 0, 'formula is not empty'));
      assert.ok(differentiated.has(name), `op ${name} has no gradient case`);
    });
  }
});
