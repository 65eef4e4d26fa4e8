// Realistic traces for the webview tests while the Python runtime is in progress: the models
// below are built op by op on the real engine (with the lines and call stacks the Python file
// would give), then exported exactly like the CLI's --json. Run: npx tsx scripts/make-sample-traces.ts
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '../src/engine/random';
import { exportGraph, Session, Tensor, type Ref } from '../src/engine/index';
import type { SourceLoc, Trace } from '../src/shared/trace';

const OUT = join(__dirname, '..', 'test', 'webview', 'traces');

function at(line: number, column: number, ...stack: string[]): SourceLoc {
  const full = ['<module>', ...stack];
  return { line, column, func: full[full.length - 1], stack: full };
}

class Model {
  readonly s = new Session();
  readonly gen = new Generator(42);
  printed: string[] = [];

  randn(shape: number[], name: string, loc: SourceLoc, scale = 1, requiresGrad = false): Ref {
    const data = this.gen.randn(shape.reduce((a, b) => a * b, 1)).map((v) => v * scale);
    return this.named(this.s.leaf(new Tensor(shape, 'float32', data), requiresGrad, loc), name);
  }
  zeros(shape: number[], name: string, loc: SourceLoc): Ref {
    return this.named(this.s.leaf(Tensor.zeros(shape), false, loc), name);
  }
  labels(values: number[], name: string, loc: SourceLoc): Ref {
    return this.named(this.s.leaf(new Tensor([values.length], 'int64', Float64Array.from(values)), false, loc), name);
  }
  op(name: string, inputs: Ref[], loc: SourceLoc, label?: string, params = {}): Ref {
    const r = this.s.op(name, inputs, params, loc);
    if (label) this.s.setLabel(r, label);
    return r;
  }
  named(r: Ref, name: string): Ref {
    this.s.addName(r, name);
    this.s.setLabel(r, name);
    return r;
  }
  /** `x.g = …` as the lesson writes it: the engine's gradient, times `scale` to plant a bug. */
  handGrad(r: Ref, scale = 1, shape?: number[]): void {
    const g = this.s.lastBackward?.grads.get(r.node);
    if (!g) throw new Error('no gradient');
    const data = Float32Array.from(g.data, (v) => Math.fround(v * scale + (scale === 1 ? v * 3e-7 : 0)));
    const t = shape ? new Tensor(shape, 'float32', data) : new Tensor(g.shape, 'float32', data);
    this.s.setUserGrad(r, this.s.leaf(t));
  }
  /** `with torch.no_grad(): p -= lr * p.grad; p.grad = None` */
  sgdStep(params: Ref[], lr: number): void {
    this.s.gradEnabled = false;
    for (const p of params) {
      const g = p.node.grad;
      if (!g) continue;
      const step = this.s.op('mul', [g, this.s.leaf(Tensor.scalar(lr))]);
      this.s.inplace(p, 'sub', [step]);
      p.node.grad = null;
    }
    this.s.gradEnabled = true;
  }
  trace(file: string, root: Ref, error: Trace['error'] = null): Trace {
    const g = exportGraph(this.s, root.node);
    return {
      format: 'gradlens-trace', version: 1, file, root: g.root, nodes: g.nodes, ops: g.ops,
      error, losses: g.losses, output: this.printed.join('\n'), truncated: g.truncated || undefined,
      timing: { totalMs: 412, runMs: 187 },
    };
  }
}

/** fast.ai lesson 13: `l1 = lin(inp, w1, b1)`… with hand-written `.g` and one planted bug. */
function lesson13(): Trace {
  const m = new Model();
  const inp = m.randn([32, 10], 'inp', at(8, 1));
  const targ = m.randn([32, 1], 'targ', at(9, 1));
  const w1 = m.randn([10, 6], 'w1', at(12, 1), 0.3, true);
  const b1 = m.zeros([6], 'b1', at(13, 1));
  m.s.setRequiresGrad(b1, true);
  const w2 = m.randn([6, 1], 'w2', at(14, 1), 0.4, true);
  const b2 = m.zeros([1], 'b2', at(15, 1));
  m.s.setRequiresGrad(b2, true);
  const linCall = (x: Ref, w: Ref, b: Ref, line: number, label: string) => {
    const xw = m.op('matmul', [x, w], at(18, 27, 'forward_and_backward', 'lin'));
    const r = m.op('add', [xw, b], at(18, 27, 'forward_and_backward', 'lin'));
    m.s.setLabel(r, label);
    void line;
    return r;
  };
  const l1 = m.named(linCall(inp, w1, b1, 22, 'l1'), 'l1');
  const l2 = m.named(m.op('relu', [l1], at(23, 10, 'forward_and_backward'), 'l2'), 'l2');
  const out = m.named(linCall(l2, w2, b2, 24, 'out'), 'out');
  const loss = m.named(m.op('mse_loss', [out, targ], at(25, 12, 'forward_and_backward'), 'loss'), 'loss');
  m.s.backward(loss);
  m.handGrad(out);
  m.handGrad(l2);
  m.handGrad(l1);
  m.handGrad(w2);
  m.handGrad(b2);
  m.handGrad(w1);
  m.handGrad(b1, 2); // the planted bug: b1.g = 2 * l1.g.sum(0)
  m.handGrad(inp);
  m.printed.push(`loss: ${loss.value.data[0].toFixed(4)}`);
  return m.trace('lesson13_mlp.py', loss);
}

/** A classifier trained for 5 steps: a loss curve, cross-entropy, an int64 target, a wrong `.g` shape. */
function classifier(): Trace {
  const m = new Model();
  const x = m.randn([64, 196], 'x_train', at(10, 1), 1);
  const y = m.labels(Array.from({ length: 64 }, (_, i) => (i * 7) % 10), 'y_train', at(11, 1));
  const w1 = m.randn([50, 196], 'model.layers[0].weight', at(20, 9, 'Model.__init__'), 0.05, true);
  const b1 = m.randn([50], 'model.layers[0].bias', at(20, 9, 'Model.__init__'), 0.05, true);
  const w2 = m.randn([10, 50], 'model.layers[2].weight', at(22, 9, 'Model.__init__'), 0.1, true);
  const b2 = m.randn([10], 'model.layers[2].bias', at(22, 9, 'Model.__init__'), 0.1, true);
  let last: Ref | null = null;
  let h: Ref | null = null;
  for (let step = 0; step < 5; step++) {
    const mm1 = m.op('matmul', [x, m.op('t', [w1], at(8, 16, 'Model.__call__', 'Linear.forward'))], at(8, 16, 'Model.__call__', 'Linear.forward'));
    const a1 = m.op('add', [mm1, b1], at(8, 16, 'Model.__call__', 'Linear.forward'));
    h = m.op('relu', [a1], at(9, 16, 'Model.__call__', 'ReLU.forward'), 'h');
    const mm2 = m.op('matmul', [h, m.op('t', [w2], at(8, 16, 'Model.__call__', 'Linear.forward'))], at(8, 16, 'Model.__call__', 'Linear.forward'));
    const logits = m.op('add', [mm2, b2], at(8, 16, 'Model.__call__', 'Linear.forward'), 'preds');
    const logp = m.op('log_softmax', [logits], at(30, 12), 'logp', { dim: -1 });
    last = m.op('nll_loss', [logp, y], at(31, 12), 'loss');
    m.s.backward(last);
    m.sgdStep([w1, b1, w2, b2], 0.5);
    m.printed.push(`step ${step}: loss ${last.value.data[0].toFixed(4)}`);
  }
  if (!last || !h) throw new Error('no steps');
  m.named(last, 'loss');
  m.named(h, 'h');
  m.handGrad(h, 1, [50, 64]); // the bug: h.g built transposed
  return m.trace('mnist_classifier.py', last);
}

/** A run that failed half-way: the graph up to the failing line and the error banner. */
function failing(): Trace {
  const m = new Model();
  const a = m.randn([8, 3], 'a', at(3, 1));
  const w = m.randn([3, 4], 'w', at(4, 1), 1, true);
  const z = m.named(m.op('tanh', [m.op('matmul', [a, w], at(5, 5))], at(5, 5), 'z'), 'z');
  const s = m.named(m.op('sum', [z], at(6, 5), 's'), 's');
  m.printed.push('z: torch.Size([8, 4])');
  return m.trace('broken.py', s, {
    type: 'ShapeError', line: 7, column: 5,
    message: 'mat1 and mat2 shapes cannot be multiplied (8x4 and 3x4)',
    traceback: 'Traceback (most recent call last):\n  File "broken.py", line 7, in <module>\n    y = z @ w\nShapeError: mat1 and mat2 shapes cannot be multiplied (8x4 and 3x4)',
  });
}

mkdirSync(OUT, { recursive: true });
for (const [name, make] of [['lesson13', lesson13], ['classifier', classifier], ['failing', failing]] as const) {
  const trace = make();
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify(trace, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v)) + '\n');
  console.log(`${name}: ${trace.nodes.length} nodes → ${join(OUT, name + '.json')}`);
}
