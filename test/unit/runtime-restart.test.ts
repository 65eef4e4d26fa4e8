// Runs that leave the interpreter unusable: a recursion that overflows the WASM stack, os.abort(),
// os._exit() fail their trace with what happened (and the line, from the stack Pyodide dumps),
// the runner replaces the worker, and the next trace on the same runner is right. The warm-up is
// sent only to a ready worker nobody waits for; one that fails fatally ends its worker ('fatal'),
// and the runner's next worker skips it; an ordinary warm-up failure only loses the head start.
import assert from 'node:assert/strict';
import fs from 'fs';
import { createRequire } from 'module';
import os from 'os';
import path from 'path';
import { Worker } from 'worker_threads';
import { createTraceRunner } from '../../src/runtime/runner';
import { pyodideDir, pythonDir, workerScript } from '../../src/runtime/paths';
import type { FromWorker, ToWorker, WorkerData } from '../../src/runtime/protocol';
import type { Trace } from '../../src/shared/trace';
import { GOOD, modelWriter } from './runtime-helpers';

const { dir, model } = modelWriter('gradlens-restart-');

function assertGood(t: Trace): void {
  assert.equal(t.error, null, `${t.error?.type}: ${t.error?.message}`);
  assert.equal(t.output, '');
  assert.deepEqual(t.nodes.find((n) => n.names.includes('w'))?.grad?.data, [2, 2, 2]);
  assert.equal(t.nodes.find((n) => n.id === t.root)?.label, 'loss');
}

describe('runtime restarts', function () {
  this.timeout(180_000);
  let starts = 0;
  const runner = createTraceRunner({ onReady: () => starts++ });
  after(async () => {
    await runner.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `source` fails its trace as `check` says; a new worker answers the next trace, correctly. */
  async function expectRestart(source: string, check: (t: Trace) => void): Promise<void> {
    assertGood(await runner.trace(model(GOOD)));
    const before = starts;
    const t = await runner.trace(model(source));
    check(t);
    assert.equal(t.nodes.length, 0);
    assertGood(await runner.trace(model(GOOD)));
    assert.equal(starts, before + 1, 'the worker was replaced once');
  }

  it("a recursion through a builtin that overflows the runtime's stack: RecursionError at its line", async () => {
    await expectRestart(`
import sys, torch
sys.setrecursionlimit(100000)
def depth(xs):
    return 1 + max(map(depth, xs), default=0)
nested = []
for _ in range(100000):
    nested = [nested]
print(depth(nested))
`, (t) => {
      assert.equal(t.error?.type, 'RecursionError', `${t.error?.type}: ${t.error?.message}`);
      assert.match(t.error!.message, /recursed too deeply and overflowed the runtime's stack/);
      assert.equal(t.error!.line, 4);
    });
  });

  it('os.abort() names the fatal stop and its line', async () => {
    await expectRestart('import os, torch\nx = torch.ones(2)\nos.abort()\n', (t) => {
      assert.equal(t.error?.type, 'InternalError');
      assert.match(t.error!.message, /the Python runtime cannot continue .*restarts/);
      assert.equal(t.error!.line, 3);
    });
  });

  it('os._exit() ends the interpreter: the error says so, with the output so far', async () => {
    await expectRestart('import os, torch\nprint("before")\nos._exit(3)\n', (t) => {
      assert.equal(t.error?.type, 'InternalError');
      assert.match(t.error!.message, /cannot continue \(Program terminated with exit\(3\)\)/);
      assert.equal(t.output, 'before\n');
    });
  });
});

describe('runtime warm-up failures', function () {
  this.timeout(180_000);
  const shims: string[] = [];
  after(() => { for (const d of shims) fs.rmSync(d, { recursive: true, force: true }); });

  /** The shim with `torch.randn` (the warm-up's first call, unused by GOOD) replaced by `body`. */
  function shimWithRandn(body: string): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-shim-'));
    shims.push(copy);
    fs.cpSync(pythonDir(), copy, { recursive: true });
    fs.appendFileSync(path.join(copy, 'torch', '__init__.py'), `\n\ndef randn(*args, **kwargs):\n    ${body}\n`);
    return copy;
  }

  /** A worker on that shim, with the warm-up, as the runner starts one under tsx. */
  function startWorker(shim: string): Worker {
    const data: WorkerData = { interrupt: new SharedArrayBuffer(4), pythonDir: shim, pyodideDir: pyodideDir() };
    const worker = new Worker(
      `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(workerScript())});`,
      { eval: true, workerData: data, stdout: true, stderr: true },
    );
    worker.stdout.resume();
    worker.stderr.resume();
    return worker;
  }

  function next(worker: Worker): Promise<FromWorker | { type: 'exit'; code: number }> {
    return new Promise((resolve) => {
      const onMessage = (m: FromWorker) => { if (m.type !== 'output') { done(); resolve(m); } };
      const onExit = (code: number) => { done(); resolve({ type: 'exit', code }); };
      const done = () => { worker.off('message', onMessage); worker.off('exit', onExit); };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
  }

  it("a fatal warm-up (os.abort()) ends the worker with 'fatal'", async () => {
    const worker = startWorker(shimWithRandn('import os; os.abort()'));
    try {
      assert.equal((await next(worker)).type, 'ready');
      worker.postMessage({ type: 'warmUp' } satisfies ToWorker);
      const m = await next(worker);
      assert.equal(m.type, 'fatal', JSON.stringify(m));
      assert.match((m as { message: string }).message, /the warm-up left the Python runtime unusable/);
      assert.deepEqual(await next(worker), { type: 'exit', code: 1 });
    } finally {
      await worker.terminate();
    }
  });

  /**
   * Runs `body` while the runner's workers use `shim` (the runner reads worker_threads.Worker when
   * it starts one); `warmUps[i]` counts the warm-ups sent to the i-th worker started.
   */
  async function withWorkersOn(shim: string, body: (warmUps: number[]) => Promise<void>): Promise<void> {
    const threads = createRequire(__filename)('worker_threads') as typeof import('worker_threads');
    const Real = threads.Worker;
    const warmUps: number[] = [];
    threads.Worker = class extends Real {
      constructor(script: string | URL, options: import('worker_threads').WorkerOptions) {
        super(script, { ...options, workerData: { ...(options.workerData as WorkerData), pythonDir: shim } });
        const mine = warmUps.push(0) - 1;
        const post = this.postMessage.bind(this);
        this.postMessage = (m: ToWorker) => { if (m.type === 'warmUp') warmUps[mine]++; post(m); };
      }
    };
    try {
      await body(warmUps);
    } finally {
      threads.Worker = Real;
    }
  }

  function goodFile(): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-warm-')), 'good.py');
    shims.push(path.dirname(file));
    fs.writeFileSync(file, GOOD);
    return file;
  }

  it('the runner: a fatal warm-up rejects warm(); the next worker skips the warm-up, and its traces are right', async () => {
    await withWorkersOn(shimWithRandn('import os; os.abort()'), async (warmUps) => {
      const runner = createTraceRunner();
      try {
        await assert.rejects(runner.warm(), /the warm-up left the Python runtime unusable/);
        await runner.warm(); // the next worker: no warm-up (with one it would abort again)
        assert.deepEqual(warmUps, [1, 0]);
        const file = goodFile();
        assertGood(await runner.trace(file));
        assertGood(await runner.trace(file));
        assert.deepEqual(warmUps, [1, 0]);
      } finally {
        await runner.dispose();
      }
    });
  });

  it('a click during a warm-up that dies is not lost: the trace runs on the next worker', async () => {
    await withWorkersOn(shimWithRandn('import os; os.abort()'), async (warmUps) => {
      let clicked: Promise<Trace> | undefined;
      const runner = createTraceRunner({ onReady: () => { clicked ??= runner.trace(goodFile()); } });
      try {
        await assert.rejects(runner.warm(), /the warm-up left the Python runtime unusable/);
        assertGood(await clicked!);
        assert.deepEqual(warmUps, [1, 0]);
      } finally {
        await runner.dispose();
      }
    });
  });

  it('a cancel while the trace waits behind the warm-up stops it before any of the file runs', async () => {
    const file = path.join(path.dirname(goodFile()), 'prints.py');
    fs.writeFileSync(file, `print('ran')\n${GOOD}`);
    let asked: Promise<Trace> | undefined;
    const runner = createTraceRunner({
      onReady: () => { asked ??= runner.trace(file); setTimeout(() => runner.cancel(), 5); },
    });
    try {
      await runner.warm();
      const t = await asked!;
      assert.equal(t.error?.type, 'CancelledError', JSON.stringify(t.error));
      assert.equal(t.output, '');
      assertGood(await runner.trace(goodFile()));
    } finally {
      await runner.dispose();
    }
  });

  it('warm() settles when the runner is disposed during the warm-up', async () => {
    const runner = createTraceRunner({ onReady: () => { setTimeout(() => void runner.dispose(), 5); } });
    const settled = await Promise.race([
      runner.warm().then(() => 'resolved', () => 'rejected'),
      new Promise((resolve) => setTimeout(() => resolve('pending after 20 s'), 20_000)),
    ]);
    assert.equal(settled, 'rejected');
  });

  it('the runner warms up only while nobody waits: not when a trace was asked for before the worker was ready', async () => {
    await withWorkersOn(pythonDir(), async (warmUps) => {
      const clicked = createTraceRunner();
      try {
        assertGood(await clicked.trace(goodFile())); // asked for at once: runs first, no warm-up
        assertGood(await clicked.trace(goodFile()));
        assert.deepEqual(warmUps, [0]);
      } finally {
        await clicked.dispose();
      }
      const idle = createTraceRunner();
      try {
        await idle.warm(); // a window opened on a PyTorch file: warmed while the person reads
        assertGood(await idle.trace(goodFile()));
        assert.deepEqual(warmUps, [0, 1]);
      } finally {
        await idle.dispose();
      }
    });
  });

  it("an ordinary Python error in the warm-up is only a lost head start: 'warmedUp', and the first trace is right", async () => {
    const worker = startWorker(shimWithRandn("raise ValueError('no warm-up today')"));
    try {
      const ready = await next(worker);
      assert.equal(ready.type, 'ready', JSON.stringify(ready));
      worker.postMessage({ type: 'warmUp' } satisfies ToWorker);
      assert.equal((await next(worker)).type, 'warmedUp');
      worker.postMessage({ type: 'trace', id: 1, file: goodFile(), options: {} } satisfies ToWorker);
      const done = await next(worker);
      assert.equal(done.type, 'done', JSON.stringify(done));
      const { trace, restart } = done as Extract<FromWorker, { type: 'done' }>;
      assert.ok(!restart);
      assertGood(trace);
      assert.equal(Math.min(...trace.nodes.map((n) => n.id)), 0, 'nothing of the warm-up is left');
    } finally {
      await worker.terminate();
    }
  });
});
