// The runtime end to end: bad files fail with the right type, message and line, and the same worker
// traces the next file; names, labels, locations, output, the import guard, cancel and timeout.
import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { createTraceRunner } from '../../src/runtime/runner';
import type { Trace } from '../../src/shared/trace';
import { GOOD, modelWriter } from './runtime-helpers';

const { dir, model } = modelWriter('gradlens-runtime-');

function expectError(trace: Trace, type: string, line: number | null, message?: RegExp): void {
  assert.ok(trace.error, `expected ${type}, got no error`);
  assert.equal(trace.error.type, type, `${trace.error.type}: ${trace.error.message}`);
  assert.equal(trace.error.line, line, `line of ${type}: ${trace.error.message}`);
  if (message) assert.match(trace.error.message, message);
}

describe('runtime', function () {
  this.timeout(120_000);
  const runner = createTraceRunner();
  after(async () => {
    await runner.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function expectGood(): Promise<Trace> {
    const t = await runner.trace(model(GOOD));
    assert.equal(t.error, null, t.error?.message);
    const w = t.nodes.find((n) => n.names.includes('w'));
    assert.deepEqual(w?.grad?.data, [2, 2, 2]);
    return t;
  }

  it('the first trace after the warm-up sees nothing of it: own output, losses, ids from 0, same seeded values', async () => {
    const source = `
import torch
torch.manual_seed(3)
w = torch.randn(4, requires_grad=True)
print('mine')
loss = (w * w).sum()
loss.backward()
`;
    const fresh = createTraceRunner();
    try {
      await fresh.warm(); // ready, then the warm-up (a trace asked for at once would skip it)
      const first = await fresh.trace(model(source));
      assert.equal(first.error, null, first.error?.message);
      assert.equal(first.output, 'mine\n');
      assert.equal(first.losses.length, 1);
      assert.equal(Math.min(...first.nodes.map((n) => n.id)), 0);
      const cold = createTraceRunner({ warmUp: false });
      try {
        const plain = await cold.trace(model(source));
        assert.deepEqual(first.nodes.map((n) => n.value.data), plain.nodes.map((n) => n.value.data));
      } finally {
        await cold.dispose();
      }
    } finally {
      await fresh.dispose();
    }
  });

  it('traces a file: names, labels, locations, output, losses', async () => {
    const t = await runner.trace(model(`
import torch
from torch import nn

class Lin:
    def __init__(self, w): self.w = w
    def __call__(self, x):
        self.out = x @ self.w
        return self.out

class Holder:
    pass

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
h = Holder()
h.layers = [Lin(torch.randn(3, 2, requires_grad=True))]
x = torch.randn(5, 4)
l1 = model(x)
out = h.layers[0](l1)
print('shape', out.shape)
loss = out.pow(2).mean()
loss.backward()
`), { full: true });
    assert.equal(t.error, null, t.error?.message);
    assert.match(t.output, /shape torch\.Size\(\[5, 2\]\)/);
    const byName = (n: string) => t.nodes.find((node) => node.names.includes(n));
    assert.ok(byName('model[0].weight'), 'model[0].weight');
    assert.ok(byName('h.layers[0].w'), 'h.layers[0].w');
    assert.equal(byName('loss')?.id, t.root);
    assert.equal(t.losses.length, 1);
    const matmul = t.nodes.find((n) => n.op === 'matmul' && n.loc?.func === 'Lin.__call__');
    assert.ok(matmul, 'matmul inside Lin.__call__');
    assert.equal(matmul.loc?.line, 7);
    assert.equal(matmul.loc?.column, 20);
    assert.deepEqual(matmul.loc?.stack, ['<module>', 'Lin.__call__']);
    assert.equal(matmul.label, 'self.out');
    assert.equal(t.nodes.find((n) => n.id === t.root)?.label, 'loss');
    assert.ok(t.nodes.some((n) => n.label === 'l1'), 'label l1');
  });

  it('records .g beside the engine gradient', async () => {
    const t = await runner.trace(model(`
import torch
x = torch.randn(4, 3)
w = torch.randn(3, 2)
out = x @ w
loss = out.sum()
w.g = x.t() @ torch.ones(4, 2)
`));
    assert.equal(t.error, null, t.error?.message);
    const w = t.nodes.find((n) => n.names.includes('w'))!;
    assert.ok(w.userGrad);
    assert.ok(w.userGradDiff && w.userGradDiff.maxAbs < 1e-5, JSON.stringify(w.userGradDiff));
  });

  it('syntax error', async () => {
    expectError(await runner.trace(model('import torch\nx = torch.ones(2\ny = 3\n')), 'SyntaxError', 2, /never closed|invalid syntax/);
    await expectGood();
  });

  it('shape mismatch', async () => {
    expectError(await runner.trace(model('import torch\na = torch.zeros(2, 3)\nb = torch.zeros(4, 5)\n\nc = a @ b\n')), 'ShapeError', 5, /2x3 and 4x5|\[2, 3\]|shapes/);
    await expectGood();
  });

  it('unsupported op names the function', async () => {
    const t = await runner.trace(model('import torch\nx = torch.ones(4)\ny = torch.fft.fft(x)\n'));
    expectError(t, 'UnsupportedError', 3, /^torch\.fft\.fft is not supported by Gradlens yet$/);
    const m = await runner.trace(model('import torch\nx = torch.ones(4)\ny = x.cumsum(0)\n'));
    expectError(m, 'UnsupportedError', 3, /Tensor\.cumsum is not supported/);
    await expectGood();
  });

  it('timeouts with a slow clean-up: each one a TimeoutError, and the clean-up still restores the classes', async () => {
    // 100k live tensors make the clean-up (names walked, globals cleared, gc) outlast the 20 ms between
    // the runner's repeated stop signals, which must not interrupt it (bridge.modelDone).
    const file = model('import torch\nxs = [torch.ones(1) for _ in range(100000)]\nclass Big: pass\ntorch.Tensor.leak = 1\nwhile True:\n    pass\n');
    for (let i = 0; i < 3; i++) {
      const t = await runner.trace(file, { timeoutMs: 1200 });
      assert.equal(t.error?.type, 'TimeoutError', `run ${i}: ${t.error?.type}: ${t.error?.message}`);
    }
    const next = await runner.trace(model("import torch\nprint(hasattr(torch.Tensor, 'leak'))\nx = torch.ones(2, requires_grad=True)\nloss = (x * 3).sum()\nloss.backward()\n"));
    assert.equal(next.error, null, next.error?.message);
    assert.equal(next.output, 'False\n', 'the class restore ran');
  });

  it('while True: pass stops at the timeout', async () => {
    const t0 = Date.now();
    const t = await runner.trace(model('import torch\nx = torch.ones(2)\nwhile True:\n    pass\n'), { timeoutMs: 1500 });
    assert.equal(t.error?.type, 'TimeoutError');
    assert.match(t.error!.message, /1\.5 s/);
    assert.ok(t.error!.line === 3 || t.error!.line === 4, `interrupted at line ${t.error!.line}`);
    assert.ok(Date.now() - t0 < 6000, `took ${Date.now() - t0} ms`);
    await expectGood();
  });

  it('a 10^10-element tensor fails its line with MemoryError', async () => {
    expectError(await runner.trace(model('import torch\n\nx = torch.zeros(100000, 100000)\n')), 'MemoryError', 3, /memory limit/);
    expectError(await runner.trace(model('import torch\nx = torch.ones(1000, 1000)\ny = x + 1\n'), { memoryLimitMB: 1 }), 'MemoryError', 2);
    await expectGood();
  });

  it('backward() on a graph without grad', async () => {
    expectError(await runner.trace(model('import torch\nx = torch.ones(3)\nloss = (x * 2).sum()\nloss.backward()\n')),
      'RuntimeError', 4, /does not require grad/);
    await expectGood();
  });

  it('unknown import names the module', async () => {
    expectError(await runner.trace(model('import torch\nimport foobarbaz\n')), 'ModuleNotFoundError', 2, /No module named 'foobarbaz'/);
    await expectGood();
  });

  it('a file with no tensors', async () => {
    const t = await runner.trace(model('print("hello")\n'));
    expectError(t, 'NoGraphError', null, /made no tensors/);
    assert.equal(t.output, 'hello\n');
    await expectGood();
  });

  it('user code cannot import the Pyodide bridge', async () => {
    for (const mod of ['js', 'pyodide', 'pyodide_js', '_gradlens_bridge', 'pyodide.ffi']) {
      const t = await runner.trace(model(`import torch\nimport ${mod}\n`));
      expectError(t, 'ModuleNotFoundError', 2, /not allowed/);
    }
    const t = await runner.trace(model("import sys, importlib\nprint('js' in sys.modules)\nimportlib.import_module('js')\n"));
    assert.equal(t.output.trim(), 'False');
    expectError(t, 'ModuleNotFoundError', 3, /not allowed/);
    await expectGood();
  });

  it('course data loading: gzip + pickle of numpy arrays, .npy, and refusing other classes', async () => {
    const examples = path.resolve(__dirname, '../../examples');
    const file = path.join(examples, '_runtime_test_loading.py');
    fs.writeFileSync(file, `
import gzip, pickle, numpy as np, torch
from torch import tensor
with gzip.open('data/mnist_tiny.pkl.gz', 'rb') as f:
    ((x_train, y_train), (x_valid, y_valid), _) = pickle.load(f, encoding='latin-1')
x_train, y_train = map(tensor, (x_train, y_train))
v = torch.from_numpy(np.load('data/x_valid16.npy'))
print(x_train.shape, x_train.dtype, y_train.dtype, v.shape, bool((v == tensor(x_valid)[:16]).all()))
loss = x_train.mean()
class Evil:
    def __reduce__(self): return (print, ('pwned',))
try:
    pickle.loads(pickle.dumps(Evil()))
except pickle.UnpicklingError as e:
    print('refused', e)
`);
    try {
      const t = await runner.trace(file);
      assert.equal(t.error, null, t.error?.message);
      assert.match(t.output, /torch\.Size\(\[256, 784\]\) torch\.float32 torch\.int64 torch\.Size\(\[16, 784\]\) True/);
      assert.match(t.output, /refused .*builtins\.print/);
      assert.doesNotMatch(t.output, /pwned/);
    } finally {
      fs.rmSync(file);
    }
  });

  it('a long engine call that cannot be interrupted: terminate, restart, the next trace works', async () => {
    const t0 = Date.now();
    const t = await runner.trace(model('import torch\na = torch.randn(1500, 1500)\nfor _ in range(50):\n    a = (a @ a).tanh()\n'), { timeoutMs: 300 });
    assert.equal(t.error?.type, 'TimeoutError', t.error?.message);
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
    await expectGood();
  });

  it("a file's monkeypatches and recursion limit do not leak into the next trace", async () => {
    const t = await runner.trace(model('import sys, torch\nsys.setrecursionlimit(50)\ntorch.Tensor.__add__ = lambda a, b: 42\ntorch.Tensor.extra = 1\n'));
    assert.equal(t.error?.type, 'NoGraphError', `${t.error?.message}\n${t.error?.traceback}`);
    const next = await runner.trace(model("import sys, torch\nprint(sys.getrecursionlimit() > 50, hasattr(torch.Tensor, 'extra'))\nx = torch.ones(2, requires_grad=True)\nloss = (x + x).sum()\nloss.backward()\n"));
    assert.equal(next.error, null, next.error?.message);
    assert.equal(next.output, 'True False\n');
    assert.deepEqual(next.nodes.find((n) => n.names.includes('x'))?.grad?.data, [2, 2]);
  });

  it("a patch of the base class that defines a Tensor method is undone too; TypeErrors name Tensor's methods", async () => {
    const t = await runner.trace(model("import torch\nnext(c for c in torch.Tensor.__mro__ if 'exp' in vars(c)).exp = lambda self: 42\n"));
    assert.equal(t.error?.type, 'NoGraphError');
    const next = await runner.trace(model('import torch\nx = torch.ones(2, requires_grad=True)\nloss = x.exp().sum()\nloss.backward()\nx.sum(foo=1)\n'));
    expectError(next, 'TypeError', 5, /^Tensor\.sum\(\) got an unexpected keyword argument 'foo'$/);
  });

  it('a patched nn layer (nn.Linear.forward) is restored for the next trace', async () => {
    const t = await runner.trace(model('import torch\ntorch.nn.Linear.forward = lambda self, x: 42\ntorch.nn.ReLU.extra = 1\n'));
    assert.equal(t.error?.type, 'NoGraphError');
    const next = await runner.trace(model("import torch\nlin = torch.nn.Linear(3, 2)\nprint(hasattr(torch.nn.ReLU, 'extra'))\nloss = lin(torch.ones(1, 3)).sum()\nloss.backward()\n"));
    assert.equal(next.error, null, next.error?.message);
    assert.equal(next.output, 'False\n');
  });

  it('sys.exit() ends a file normally', async () => {
    const t = await runner.trace(model('import sys, torch\nw = torch.ones(2, requires_grad=True)\nloss = (w * 3).sum()\nloss.backward()\nsys.exit()\nprint("not reached")\n'));
    assert.equal(t.error, null, t.error?.message);
    assert.equal(t.output, '');
  });

  it('cancel interrupts a running file; the worker keeps working', async () => {
    const p = runner.trace(model('import torch\nx = torch.ones(2)\nwhile True:\n    x = x + 0\n'));
    setTimeout(() => runner.cancel(), 1500);
    const t = await p;
    expectError(t, 'CancelledError', 4);
    await expectGood();
  });
});
