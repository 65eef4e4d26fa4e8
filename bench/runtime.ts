// Runtime numbers for the issue-3 note (not part of `mocha`): run with
//   npm run bench:runtime
// cold and warm time to trace examples/lesson13_mlp.py, the shim's per-op overhead, and the peak
// memory of tracing a 50000×784 input through the lesson 13 MLP.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createTraceRunner } from '../src/runtime/runner';
import { Session, Tensor } from '../src/engine';

const ROOT = path.resolve(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-bench-'));

function write(name: string, source: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  return file;
}

const PER_OP = write('per_op.py', `
import time, torch
x = torch.ones(1)
y = torch.ones(1)
N = 20000
def a(): return x + y
def s(): return x * 2.0
def i(): return x[0]
def f(v): return v + y
def n(): return f(x)
def best(fn):
    for _ in range(500): fn()
    out = []
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(N): fn()
        out.append((time.perf_counter() - t) / N * 1e6)
    return min(out)
print('PEROP ' + ' '.join(f'{k}={best(fn):.1f}' for k, fn in [('add', a), ('scalar', s), ('index', i), ('nested', n)]))
loss = a().sum()
`);

const BIG = write('big.py', `
import torch
torch.manual_seed(0)
x = torch.randn(50000, 784)
y = torch.randn(50000)
w1 = torch.randn(784, 50, requires_grad=True)
b1 = torch.zeros(50, requires_grad=True)
w2 = torch.randn(50, 1, requires_grad=True)
b2 = torch.zeros(1, requires_grad=True)
l1 = x @ w1 + b1
l2 = l1.clamp_min(0.)
out = l2 @ w2 + b2
loss = (out[:, 0] - y).pow(2).mean()
loss.backward()
`);

function engineOpMicros(): number {
  const s = new Session();
  const a = s.leaf(Tensor.full([1], 1)), b = s.leaf(Tensor.full([1], 1));
  const n = 200000;
  for (let i = 0; i < 1000; i++) s.op('add', [a, b]);
  const t = performance.now();
  for (let i = 0; i < n; i++) s.op('add', [a, b]);
  return ((performance.now() - t) / n) * 1000;
}

async function main(): Promise<void> {
  const lesson13 = path.join(ROOT, 'examples/lesson13_mlp.py');
  let loadMs = 0;
  const t0 = performance.now();
  const runner = createTraceRunner({ onReady: (ms) => { loadMs = ms; } });
  const cold = await runner.trace(lesson13);
  const coldMs = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const tr = await runner.trace(lesson13);
    if (tr.error) throw new Error(tr.error.message);
    warm.push(performance.now() - t);
  }
  console.log(`lesson13_mlp.py: cold ${(coldMs / 1000).toFixed(2)} s (Pyodide+shim load ${(loadMs / 1000).toFixed(2)} s, run ${cold.timing?.runMs.toFixed(0)} ms), ` +
    `warm ${warm.map((w) => w.toFixed(0)).join('/')} ms (run ${cold.timing?.runMs.toFixed(0)} ms), ${cold.nodes.length} nodes`);

  const perOp = await runner.trace(PER_OP);
  if (perOp.error) throw new Error(perOp.error.message);
  console.log(`per op (µs, incl. engine): ${/PEROP (.*)/.exec(perOp.output)?.[1]}; engine alone add: ${engineOpMicros().toFixed(2)} µs`);

  const base = process.memoryUsage();
  let peakRss = base.rss, peakAb = base.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakAb = Math.max(peakAb, m.arrayBuffers);
  }, 20);
  const t = performance.now();
  const big = await runner.trace(BIG);
  clearInterval(sampler);
  if (big.error) throw new Error(big.error.message);
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  console.log(`50000×784 MLP forward+backward: ${((performance.now() - t) / 1000).toFixed(2)} s, RSS ${mb(base.rss)} → peak ${mb(peakRss)} ` +
    `(+${mb(peakRss - base.rss)}; input alone is ${mb(50000 * 784 * 4)}), main-thread arrayBuffers peak ${mb(peakAb)}`);
  await runner.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
