// The lesson 13 step on the engine alone (no Python): the same ops as bench/lesson13-step.py.
import { Session, Tensor, type Ref } from '../src/engine';

export function lesson13Step(s: Session, x: Ref, y: Ref, params: Ref[]): void {
  const [w1, b1, w2, b2] = params;
  const c = (v: number) => s.leaf(Tensor.scalar(v));
  const op = (name: string, inputs: Ref[], p: Record<string, unknown> = {}) => s.op(name, inputs, p);
  const col0 = { items: [{ kind: 'slice' }, { kind: 'int', value: 0 }] };
  for (const p of params) { s.setRequiresGrad(p, false); p.node.grad = null; }
  const l1 = op('add', [op('matmul', [x, w1]), b1]);
  const l2 = op('clamp', [l1], { min: 0 });
  const out = op('add', [op('matmul', [l2, w2]), b2]);
  const diff = op('sub', [op('index', [out], col0), y]);
  op('mean', [op('pow', [diff, c(2)])]);
  const og = op('div', [op('mul', [c(2), op('index', [diff], { items: [{ kind: 'slice' }, { kind: 'none' }] })]), c(50000)]);
  const l2g = op('matmul', [og, op('t', [w2])]);
  op('matmul', [op('t', [l2]), og]); op('sum', [og], { dim: 0 });
  const l1g = op('mul', [op('to', [op('gt', [l1, c(0)])], { dtype: 'float32' }), l2g]);
  op('matmul', [l1g, op('t', [w1])]); op('matmul', [op('t', [x]), l1g]); op('sum', [l1g], { dim: 0 });
  for (const p of params) s.setRequiresGrad(p, true);
  const l1b = op('add', [op('matmul', [x, w1]), b1]);
  const outb = op('add', [op('matmul', [op('clamp', [l1b], { min: 0 }), w2]), b2]);
  const loss = op('mean', [op('pow', [op('sub', [op('index', [outb], col0), y]), c(2)])]);
  s.backward(loss);
}

export function lesson13Inputs(s: Session) {
  const rand = (shape: number[], scale: number) => {
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = (Math.random() - 0.5) * scale;
    return s.leaf(t);
  };
  return {
    x: rand([50000, 784], 3), y: rand([50000], 3),
    params: [rand([784, 50], 0.1), rand([50], 0), rand([50, 1], 0.3), rand([1], 0)],
  };
}
