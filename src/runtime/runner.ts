// The TraceRunner: one warm worker, one trace at a time; timeout and cancel interrupt Python
// (SIGINT re-sent every 20 ms, because one can be swallowed), then terminate + restart.
import fs from 'fs';
import path from 'path';
import { Worker } from 'worker_threads';
import { TRACE_FORMAT, TRACE_VERSION, type Trace, type TraceError } from '../shared/trace';
import type { TraceOptions, TraceRunner } from './api';
import { pyodideDir, pythonDir, workerScript } from './paths';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MEMORY_MB = 4096;
const RESEND_MS = 20;
/** After this long without an answer to SIGINT, the worker is terminated. */
const GRACE_MS = 2_000;

type Stop = 'TimeoutError' | 'CancelledError';

interface Pending {
  id: number;
  file: string;
  options: TraceOptions;
  resolve: (t: Trace) => void;
  stop?: Stop;
  timer?: NodeJS.Timeout;
  resend?: NodeJS.Timeout;
  grace?: NodeJS.Timeout;
  started: number;
  output: string;
}

export interface RunnerOptions {
  /** Called once per worker start with Pyodide's load time (for benchmarks and logs). */
  onReady?: (ms: number) => void;
  /**
   * Once a worker is ready and no trace is waiting, trace a small built-in step so the first
   * real trace runs on compiled code (default true). A trace asked for before that point runs
   * first and the warm-up is skipped: it would only delay it. Off for a one-shot CLI run.
   */
  warmUp?: boolean;
}

export function createTraceRunner(options: RunnerOptions = {}): TraceRunner & { warm(): Promise<void> } {
  return new WorkerRunner(options);
}

class WorkerRunner implements TraceRunner {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  /** The worker answered 'ready': only then is there a Python run to interrupt. */
  private readyWorker: Worker | null = null;
  private readonly interrupt = new SharedArrayBuffer(4);
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;
  /** A worker failed (e.g. its warm-up left Python unusable): the next ones skip the warm-up. */
  private noWarmUp = false;
  /** The current worker's warm-up, when one was sent. */
  private warming: Promise<void> | null = null;

  constructor(private readonly opts: RunnerOptions) {}

  /** Start the worker now (Pyodide takes seconds to load) and warm it up; traces also start it on demand. */
  async warm(): Promise<void> {
    await this.start();
    await this.warming;
  }

  trace(file: string, options: TraceOptions = {}): Promise<Trace> {
    const run = this.queue.then(() => this.runOne(path.resolve(file), options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  cancel(): void {
    if (this.pending) this.stop(this.pending, 'CancelledError');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancel();
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const script = workerScript();
    const data: WorkerData = { interrupt: this.interrupt, pythonDir: pythonDir(), pyodideDir: pyodideDir() };
    // Under tsx (tests), the worker's TypeScript is loaded through tsx's require hook.
    const worker = script.endsWith('.ts')
      ? new Worker(`require(${JSON.stringify(tsxHook())}); require(${JSON.stringify(script)});`, { eval: true, workerData: data, stdout: false, stderr: false })
      : new Worker(script, { workerData: data, stdout: false, stderr: false });
    this.worker = worker;
    this.warming = null;
    /** The warm-up sent to this worker and not answered yet. */
    let warmUp: { resolve: () => void; reject: (e: Error) => void } | null = null;
    const endWarmUp = (error?: Error): boolean => {
      if (!warmUp) return false;
      if (error) warmUp.reject(error);
      else warmUp.resolve();
      warmUp = null;
      return true;
    };
    /**
     * The worker ended during its warm-up. A trace waiting behind it never ran: it goes to the
     * next worker. The next ones skip the warm-up, which may be what failed (no restart loop).
     */
    const diedWarmingUp = (error: Error): boolean => {
      if (!endWarmUp(error) || this.worker !== worker) return false;
      this.noWarmUp = true;
      this.worker = null;
      this.ready = null;
      const p = this.pending;
      if (p && !p.stop) this.dispatch(p);
      else {
        if (p) this.finish(p, errorTrace(p, stopError(p, p.stop!, null)));
        setTimeout(() => this.rewarm(), 100);
      }
      return true;
    };
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          this.readyWorker = worker;
          this.opts.onReady?.(m.ms);
          if (this.opts.warmUp !== false && !this.noWarmUp && !this.pending && this.worker === worker) {
            this.warming = new Promise<void>((res, rej) => { warmUp = { resolve: res, reject: rej }; });
            this.warming.catch(() => undefined);
            worker.postMessage({ type: 'warmUp' } satisfies ToWorker);
          }
          resolve();
        } else if (m.type === 'warmedUp') {
          endWarmUp();
        } else if (m.type === 'fatal') {
          // This worker exits by itself.
          const error = new Error(warmUp ? `Gradlens runtime: ${m.message}` : `Gradlens runtime failed to start: ${m.message}`);
          reject(error);
          // Failed while starting: the next trace starts another (no restart loop if every start fails).
          if (!diedWarmingUp(error) && this.worker === worker) { this.worker = null; this.ready = null; }
        } else this.onMessage(m);
      });
      worker.on('error', (e) => {
        reject(e);
        if (!diedWarmingUp(e)) this.crashed(worker, e.message);
      });
      worker.on('exit', (code) => {
        const error = new Error(`runtime worker exited (${code})`);
        reject(error);
        if (!diedWarmingUp(error)) this.crashed(worker, `exit code ${code}`);
      });
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** After a terminate or a crash, load the next worker now so the next trace starts warm. */
  private rewarm(): void {
    if (!this.disposed && !this.worker) this.start().catch(() => undefined);
  }

  private retire(): void {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) void w.terminate().then(() => this.rewarm());
  }

  private crashed(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    setTimeout(() => this.rewarm(), 100);
    const p = this.pending;
    if (p) {
      const stop = p.stop;
      this.finish(p, errorTrace(p, stop ? stopError(p, stop, null) : {
        type: 'InternalError', message: `the Gradlens runtime stopped (${why}); it restarts on the next trace`, line: null,
      }));
    }
  }

  private async runOne(file: string, options: TraceOptions): Promise<Trace> {
    if (this.disposed) throw new Error('TraceRunner was disposed');
    const id = this.nextId++;
    return new Promise<Trace>((resolve) => {
      const p: Pending = { id, file, options, resolve, started: Date.now(), output: '' };
      this.pending = p;
      if (!fs.existsSync(file)) {
        this.finish(p, errorTrace(p, { type: 'FileNotFoundError', message: `No such file: '${file}'`, line: null }));
        return;
      }
      const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      p.timer = setTimeout(() => this.stop(p, 'TimeoutError'), timeout);
      this.dispatch(p);
    });
  }

  /** Send `p` to the worker once it is ready (starting one if there is none). */
  private dispatch(p: Pending): void {
    this.start().then(() => {
      if (this.pending !== p || p.stop) return;
      this.worker!.postMessage({
        type: 'trace', id: p.id, file: p.file,
        options: { full: p.options.full, maxNodes: p.options.maxNodes, memoryLimitMB: p.options.memoryLimitMB ?? DEFAULT_MEMORY_MB },
      } satisfies ToWorker);
    }, (e: Error) => {
      if (this.pending === p) this.finish(p, errorTrace(p, { type: 'InternalError', message: e.message, line: null }));
    });
  }

  private onMessage(m: FromWorker): void {
    const p = this.pending;
    if (!p) return;
    if (m.type === 'output' && m.id === p.id) {
      p.output += m.text;
      p.options.onOutput?.(m.text);
    } else if (m.type === 'done' && m.id === p.id) {
      // Replaced before the next trace is sent, so no trace goes to an interpreter that is unusable.
      if (m.restart) this.retire();
      const trace = m.trace;
      if (p.stop && trace.error?.type === 'KeyboardInterrupt') trace.error = stopError(p, p.stop, trace.error);
      this.finish(p, trace);
    }
  }

  /** Interrupt Python; if it does not answer within the grace period, terminate the worker. */
  private stop(p: Pending, why: Stop): void {
    if (p.stop || this.pending !== p) return;
    p.stop = why;
    const flag = new Int32Array(this.interrupt);
    // Still starting: the trace was never sent, and a SIGINT would break the worker's own setup.
    if (!this.worker || this.readyWorker !== this.worker) {
      this.finish(p, errorTrace(p, stopError(p, why, null)));
      return;
    }
    const send = () => Atomics.store(flag, 0, 2);
    send();
    p.resend = setInterval(send, RESEND_MS);
    p.grace = setTimeout(() => {
      const w = this.worker;
      this.worker = null;
      this.ready = null;
      if (w) void w.terminate().then(() => this.rewarm());
      this.finish(p, errorTrace(p, stopError(p, why, null)));
    }, GRACE_MS);
  }

  private finish(p: Pending, trace: Trace): void {
    clearTimeout(p.timer);
    clearInterval(p.resend);
    clearTimeout(p.grace);
    Atomics.store(new Int32Array(this.interrupt), 0, 0);
    if (this.pending === p) this.pending = null;
    p.resolve(trace);
  }
}

/** tsx's require hook, resolved from here (an eval'd worker resolves from the cwd). */
function tsxHook(): string {
  const resolve = require.resolve;
  return resolve('tsx/cjs');
}

function stopError(p: Pending, why: Stop, from: TraceError | null): TraceError {
  const secs = (p.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000;
  const message = why === 'TimeoutError'
    ? `the model file ran longer than the ${secs} s time limit (setting gradlens.timeout)`
    : 'the trace was cancelled';
  return { type: why, message, line: from?.line ?? null, traceback: from?.traceback };
}

function errorTrace(p: Pending, error: TraceError): Trace {
  return {
    format: TRACE_FORMAT, version: TRACE_VERSION, file: p.file, root: null, nodes: [], ops: {}, error,
    losses: [], output: p.output, timing: { totalMs: Date.now() - p.started, runMs: Date.now() - p.started },
  };
}
