// PyTorch's user-visible autograd semantics, and the errors users see.
import assert from 'node:assert/strict';
import { exportGraph, opTable, Session, Tensor, type OpRow } from '../../src/engine';

const vec = (s: Session, values: number[], grad = false) => s.leaf(Tensor.from(values, [values.length]), grad);

describe('autograd semantics', () => {
  it('requires_grad flows from leaves; .grad lands on leaves only and accumulates', () => {
    const s = new Session();
    const w = vec(s, [1, 2, 3], true), x = vec(s, [4, 5, 6]);
    const y = s.op('mul', [w, x]);
    assert.equal(y.node.requiresGrad, true);
    assert.equal(s.op('mul', [x, x]).node.requiresGrad, false);
    const loss = s.op('sum', [y]);
    s.backward(loss);
    assert.deepEqual([...w.node.grad!.value.data], [4, 5, 6]);
    assert.equal(y.node.grad, null, 'non-leaf has no .grad');
    s.backward(s.op('sum', [s.op('mul', [w, x])]));
    assert.deepEqual([...w.node.grad!.value.data], [8, 10, 12], 'accumulates');
    assert.deepEqual(s.losses, [32, 32]);
  });

  it('the inspector has gradients for every node, requires_grad or not', () => {
    const s = new Session();
    const w = vec(s, [1, 2], true), x = vec(s, [3, 4]);
    const loss = s.op('sum', [s.op('mul', [w, x])]);
    s.backward(loss);
    const trace = exportGraph(s, loss.node);
    const xNode = trace.nodes.find((n) => n.id === trace.idOf(x.node))!;
    assert.deepEqual(xNode.grad?.data, [1, 2]);
  });

  it('backward through a graph with no grad fails like PyTorch', () => {
    const s = new Session();
    const loss = s.op('sum', [vec(s, [1, 2])]);
    assert.throws(() => s.backward(loss), /element 0 of tensors does not require grad and does not have a grad_fn/);
    const w = vec(s, [1, 2], true);
    assert.throws(() => s.backward(s.op('mul', [w, w])), /grad can be implicitly created only for scalar outputs/);
  });

  it('no_grad: results do not require grad and are cut from backward', () => {
    const s = new Session();
    const w = vec(s, [1, 2], true);
    s.gradEnabled = false;
    const y = s.op('mul', [w, w]);
    s.gradEnabled = true;
    assert.equal(y.node.requiresGrad, false);
    assert.equal(y.node.isLeaf, true);
  });

  it('in-place updates of leaves under no_grad keep .grad, and old graphs keep old values', () => {
    const s = new Session();
    const w = vec(s, [1, 2], true), x = vec(s, [3, 4]);
    const loss = s.op('sum', [s.op('mul', [w, x])]);
    s.backward(loss);
    const before = w.node;
    assert.throws(() => s.inplace(w, 'sub', [vec(s, [1, 1])]), /a leaf Variable that requires grad is being used in an in-place operation/);
    s.gradEnabled = false;
    s.inplace(w, 'sub', [s.op('mul', [w.node.grad!, s.leaf(Tensor.scalar(0.1))])]);
    s.gradEnabled = true;
    assert.notEqual(w.node, before);
    assert.ok(Math.abs(w.value.data[0] - 0.7) < 1e-6);
    assert.equal(w.node.requiresGrad, true);
    assert.equal(w.node.grad, before.grad, '.grad carries over');
    assert.deepEqual([...before.value.data], [1, 2], 'the graph that computed loss still sees w = [1, 2]');
    s.overwrite(w.node.grad!, Tensor.scalar(0));
    assert.deepEqual([...w.node.grad!.value.data], [0, 0], 'grad.zero_()');
  });

  it('requires_grad can only change on leaves, and only for floats', () => {
    const s = new Session();
    const w = vec(s, [1], true);
    assert.throws(() => s.setRequiresGrad(s.op('mul', [w, w]), false), /only change requires_grad flags of leaf variables/);
    assert.throws(() => s.leaf(Tensor.from([1], [1], 'int64'), true), /only Tensors of floating point/);
  });

  it('a result computed without grad becomes a leaf when requires_grad_() is called on it', () => {
    const s = new Session();
    const g = vec(s, [1, 2]);
    const copy = s.op('clone', [g]);
    s.setRequiresGrad(copy, true);
    assert.equal(copy.node.isLeaf, true);
    s.backward(s.op('sum', [s.op('mul', [copy, copy])]));
    assert.deepEqual([...copy.node.grad!.value.data], [2, 4]);
  });

  it('detach stops gradients but keeps the data flow for the picture', () => {
    const s = new Session();
    const w = vec(s, [1, 2], true);
    const d = s.detach(s.op('mul', [w, w]));
    assert.equal(d.node.requiresGrad, false);
    const loss = s.op('sum', [s.op('mul', [d, w])]);
    s.backward(loss);
    assert.deepEqual([...w.node.grad!.value.data], [1, 4]);
    assert.ok(exportGraph(s, loss.node).nodes.some((n) => n.op === 'detach'));
  });

  it('x*x keeps both inputs (no set of inputs)', () => {
    const s = new Session();
    const x = vec(s, [3], true);
    s.backward(s.op('sum', [s.op('mul', [x, x])]));
    assert.deepEqual([...x.node.grad!.value.data], [6]);
  });

  it('an export numbers its nodes 0..n-1 in the order they ran: unique, and the same for the same graph traced again', () => {
    const kept = new Session().leaf(Tensor.from([1, 2], [2]), true); // outlives its session, like a tensor kept on sys
    const ids = () => {
      const s = new Session();
      const x = vec(s, [2], true);
      const product = s.op('mul', [x, kept]);
      const loss = s.op('sum', [product]);
      const graph = exportGraph(s, loss.node);
      assert.deepEqual([kept, x, product, loss].map((r) => graph.idOf(r.node)), [0, 1, 2, 3], 'in the order the ops ran');
      return graph.nodes.map((n) => [n.id, ...n.inputs]);
    };
    const first = ids();
    assert.deepEqual(ids(), first);
    assert.deepEqual(first.map((n) => n[0]).sort(), [0, 1, 2, 3]);
  });

  it('a 10,000-node chain backpropagates without recursion', () => {
    const s = new Session();
    const x = vec(s, [1], true);
    let y = x;
    for (let i = 0; i < 10000; i++) y = s.op('mul', [y, s.leaf(Tensor.scalar(1))]);
    s.backward(s.op('sum', [y]));
    assert.deepEqual([...x.node.grad!.value.data], [1]);
  });
});

describe('errors name the op and the shapes', () => {
  const s = new Session();
  const t = (shape: number[]) => s.leaf(Tensor.zeros(shape));
  it('broadcasting', () => {
    assert.throws(() => s.op('add', [t([3, 2]), t([4])]),
      (e: Error) => /add/.test(e.message) && /\(3, 2\)/.test(e.message) && /\(4\)/.test(e.message) && /size of tensor a \(2\) must match the size of tensor b \(4\)/.test(e.message));
  });
  it('matmul', () => {
    assert.throws(() => s.op('matmul', [t([32, 10]), t([6, 10])]),
      (e: Error & { type?: string }) => e.type === 'ShapeError' && /mat1 and mat2 shapes cannot be multiplied \(32x10 and 6x10\)/.test(e.message) && /\[32, 10\] @ \[6, 10\]/.test(e.message));
  });
  it('view', () => {
    assert.throws(() => s.op('view', [t([3, 2])], { shape: [4] }), /shape '\[4\]' is invalid for input of size 6/);
  });
  it('an op that is not in the table', () => {
    assert.throws(() => s.op('fft', [t([2])]), /op 'fft' is not supported by Gradlens yet/);
  });
  it('an op row without a VJP fails loudly by name', () => {
    const table = opTable as Map<string, OpRow>;
    const broken: OpRow = { ...opTable.get('exp')!, name: 'broken_exp', vjps: [] };
    table.set('broken_exp', broken);
    try {
      const x = s.leaf(Tensor.from([1], [1]), true);
      const y = s.op('sum', [s.op('broken_exp', [x])]);
      assert.throws(() => s.backward(y), /op 'broken_exp' has no VJP for input 0/);
    } finally {
      table.delete('broken_exp');
    }
  });
  it('index out of range', () => {
    assert.throws(() => s.op('index', [t([3, 2])], { items: [{ kind: 'int', value: 3 }] }), /index 3 is out of bounds for dimension 0 with size 3/);
  });
});
