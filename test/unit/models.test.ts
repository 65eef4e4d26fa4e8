// Composite models replayed on the engine and compared with real PyTorch (fixtures from
// test/fixtures/make_model_fixtures.py), plus micrograd's scalar expression.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportGraph, Session, Tensor, type Ref } from '../../src/engine';
import { assertClose, toTensor, type FixtureTensor } from './helpers';

const load = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/models', name + '.json'), 'utf8')) as Record<string, FixtureTensor>;

/** A tiny PyTorch-flavoured front end over Session, so models read like the Python they mirror. */
function torchLike() {
  const s = new Session();
  const c = (v: number) => s.leaf(Tensor.scalar(v), false, null, { value: v });
  const op = (name: string, ...inputs: (Ref | number)[]) => (params: Record<string, unknown> = {}) =>
    s.op(name, inputs.map((x) => (typeof x === 'number' ? c(x) : x)), params);
  return { s, c, op, leaf: (f: FixtureTensor, grad = false) => s.leaf(toTensor(f), grad) };
}

describe('composite models against PyTorch', () => {
  it("micrograd's scalar expression: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
    const { s, c, op } = torchLike();
    const a = s.leaf(Tensor.scalar(-4), true), b = s.leaf(Tensor.scalar(2), true);
    const add = (x: Ref | number, y: Ref | number) => op('add', x, y)();
    const mul = (x: Ref | number, y: Ref | number) => op('mul', x, y)();
    let cc = add(a, b);
    let d = add(mul(a, b), op('pow', b, 3)());
    cc = add(cc, add(cc, 1));
    cc = add(cc, add(add(1, cc), op('neg', a)()));
    d = add(d, add(mul(d, 2), op('relu', add(b, a))()));
    d = add(d, add(mul(3, d), op('relu', op('sub', b, a)())()));
    const e = op('sub', cc, d)();
    const f = op('pow', e, 2)();
    let g = op('div', f, 2)();
    g = add(g, op('div', c(10), f)());
    s.backward(g);
    assert.equal(g.value.item().toFixed(4), '24.7041');
    assert.equal(a.node.grad!.value.item().toFixed(4), '138.8338');
    assert.equal(b.node.grad!.value.item().toFixed(4), '645.5773');
  });

  it('lesson 13 MLP: the hand-written .g formulas and backward() agree with PyTorch', () => {
    const fx = load('lesson13_mlp');
    const { s, op, leaf } = torchLike();
    const inp = leaf(fx.inp, true), targ = leaf(fx.targ);
    const w1 = leaf(fx.w1, true), b1 = leaf(fx.b1, true), w2 = leaf(fx.w2, true), b2 = leaf(fx.b2, true);
    const lin = (x: Ref, w: Ref, b: Ref) => op('add', op('matmul', x, w)(), b)();
    const l1 = lin(inp, w1, b1);
    const l2 = op('clamp', l1)({ min: 0 });
    const out = lin(l2, w2, b2);
    const diff = op('sub', op('index', out)({ items: [{ kind: 'slice' }, { kind: 'int', value: 0 }] }), targ)();
    const loss = op('mean', op('pow', diff, 2)())();
    assertClose(loss.value, fx.loss, 'loss');

    // The course's backward pass, written with the same ops a user's file would call.
    const g = new Map<Ref, Ref>();
    const setG = (t: Ref, v: Ref) => { g.set(t, v); s.setUserGrad(t, v); };
    setG(out, op('div', op('mul', 2, op('index', diff)({ items: [{ kind: 'slice' }, { kind: 'none' }] }))(), inp.value.shape[0])());
    const linGrad = (x: Ref, o: Ref, w: Ref, b: Ref) => {
      setG(x, op('matmul', g.get(o)!, op('t', w)())());
      setG(w, op('matmul', op('t', x)(), g.get(o)!)());
      setG(b, op('sum', g.get(o)!)({ dim: 0 }));
    };
    linGrad(l2, out, w2, b2);
    setG(l1, op('mul', op('to', op('gt', l1, 0)())({ dtype: 'float32' }), g.get(l2)!)());
    linGrad(inp, l1, w1, b1);

    s.backward(loss);
    for (const [name, ref] of Object.entries({ inp, w1, b1, w2, b2 })) {
      assertClose(ref.node.grad!.value, fx[`${name}.grad`], `${name}.grad`, 1e-4, 1e-6);
      assertClose(g.get(ref)!.value, fx[`${name}.grad`], `${name}.g`, 1e-4, 1e-6);
    }
    // The trace puts each .g beside the engine's gradient, and records b1's broadcast reduction.
    const trace = exportGraph(s, loss.node);
    const w1Node = trace.nodes.find((n) => n.id === trace.idOf(w1.node))!;
    assert.ok(w1Node.userGradDiff && w1Node.userGradDiff.maxRel < 1e-5, 'w1.g matches');
    const addB1 = trace.nodes.find((n) => n.op === 'add' && n.inputs.includes(trace.idOf(b1.node)!))!;
    assert.deepEqual(addB1.reductions, [{ input: 1, from: [32, 6], to: [6], dims: [0] }]);
  });

  it('log_softmax + nll_loss equals cross_entropy and the manual logsumexp form', () => {
    const fx = load('log_softmax_nll');
    const { s, op, leaf } = torchLike();
    const x = leaf(fx.x), w = leaf(fx.w, true), t = leaf(fx.t);
    const logits = op('matmul', x, w)();
    const nll = op('nll_loss', op('log_softmax', logits)({ dim: -1 }), t)();
    assertClose(nll.value, fx.nll, 'nll');
    assertClose(op('cross_entropy', logits, t)().value, fx.ce, 'cross_entropy');
    s.backward(nll);
    assertClose(w.node.grad!.value, fx['w.grad'], 'w.grad', 1e-4, 1e-6);
    const range = s.leaf(Tensor.from([...Array(8).keys()], [8], 'int64'));
    const shifted = op('sub', logits, op('logsumexp', logits)({ dim: -1, keepdim: true }))();
    const picked = s.op('index', [shifted, range, t], { items: [{ kind: 'tensor', input: 1 }, { kind: 'tensor', input: 2 }] });
    const lse = op('neg', op('mean', picked)())();
    assertClose(lse.value, fx.lse, 'manual form');
    w.node.grad = null;
    s.backward(lse);
    assertClose(w.node.grad!.value, fx['w.grad_lse'], 'w.grad (manual form)', 1e-4, 1e-6);
  });

  it('single-head attention: softmax(q kᵀ/√d) v', () => {
    const fx = load('attention');
    const { s, op, leaf } = torchLike();
    const q = leaf(fx.q, true), k = leaf(fx.k, true), v = leaf(fx.v, true), target = leaf(fx.target);
    const att = op('softmax', op('div', op('matmul', q, op('t', k)())(), Math.sqrt(8))())({ dim: -1 });
    const o = op('matmul', att, v)();
    const loss = op('mean', op('pow', op('sub', o, target)(), 2)())();
    assertClose(loss.value, fx.loss, 'loss');
    s.backward(loss);
    for (const [name, ref] of Object.entries({ q, k, v })) assertClose(ref.node.grad!.value, fx[`${name}.grad`], `${name}.grad`, 1e-4, 1e-6);
  });
});
