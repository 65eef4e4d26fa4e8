// The runtime worker: one Pyodide + one engine on this thread, so the shim's calls are synchronous.
// Messages: in {type:'trace'|'warmUp'}, out {type:'ready'|'warmedUp'|'output'|'done'|'fatal'} (see protocol.ts).
import fs from 'fs';
import path from 'path';
import { parentPort, workerData } from 'worker_threads';
import type { PyodideAPI } from 'pyodide';
import { chooseRoot, exportGraph } from '../engine';
import { TRACE_FORMAT, TRACE_VERSION, type Trace, type TraceError } from '../shared/trace';
import { Bridge } from './bridge';
import { loadPyodideFast } from './snapshot';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

const OUTPUT_CAP = 1 << 20;
const data = workerData as WorkerData;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

let output = '';
let currentId = -1;
let mounted: string | null = null;

function writer(): { write: (buf: Uint8Array) => number } {
  const decoder = new TextDecoder();
  return {
    write(buf: Uint8Array): number {
      const text = decoder.decode(buf, { stream: true });
      if (output.length < OUTPUT_CAP) {
        output += text;
        if (output.length >= OUTPUT_CAP) output += '\n[Gradlens: output truncated]\n';
      }
      send({ type: 'output', id: currentId, text });
      return buf.length;
    },
  };
}

/**
 * Copy the shim (torch, numpy stand-in, the runner) into Pyodide's in-memory filesystem, with the
 * bytecode the build compiled (checked-hash .pyc: used only while it matches its source).
 */
function installShim(py: PyodideAPI, from: string, to: string): void {
  py.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = `${to}/${entry.name}`;
    if (entry.isDirectory()) {
      installShim(py, src, dst);
    } else if (entry.name.endsWith('.py') || entry.name.endsWith('.pyc')) {
      py.FS.writeFile(dst, fs.readFileSync(src));
    }
  }
}

function mount(py: PyodideAPI, folder: string): void {
  if (mounted === folder) return;
  if (mounted) {
    try { py.FS.unmount(mounted); } catch { /* already gone */ }
    mounted = null;
  }
  py.FS.mkdirTree(folder);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: folder }, folder);
  mounted = folder;
}

/**
 * An exception that escaped run.py. A stop is signalled until the run answers, so a repeat can
 * land in run.py's clean-up after the model file's KeyboardInterrupt was recorded: it is still
 * that stop. A fatal Pyodide error (a WASM stack overflow, os.abort(), os._exit(): Pyodide marks
 * each with `pyodide_fatal_error`) leaves the interpreter unusable, and an escaped interrupt
 * skipped the clean-up (patched classes, modules): both restart it. A fatal error's line is the
 * model file's newest frame in the Python stack Pyodide dumped to stderr, when it has one.
 */
function escapedError(e: unknown, bridge: Bridge, file: string): { error: TraceError; restart: boolean } {
  const message = (e as Error | undefined)?.message ?? String(e);
  const fatal = isFatal(e);
  if (/KeyboardInterrupt/.test(message)) {
    const recorded = bridge.result.error ? JSON.parse(bridge.result.error) as TraceError : null;
    return { error: recorded ?? { type: 'KeyboardInterrupt', message: 'interrupted', line: null }, restart: true };
  }
  const line = fatal ? dumpedLine(file) : null;
  if (/Maximum call stack size exceeded/.test(message)) {
    return { error: { type: 'RecursionError', message: 'the model file recursed too deeply and overflowed the runtime\'s stack (the runtime restarts)', line }, restart: true };
  }
  if (fatal) {
    return { error: { type: 'InternalError', message: `the Python runtime cannot continue (${message}); it restarts for the next trace`, line }, restart: true };
  }
  return { error: { type: 'InternalError', message: `Gradlens runtime: ${message}`, line: null }, restart: /fatal/i.test(message) };
}

/** The newest line of `file` in the stack Pyodide's fatal error handler printed (newest first). */
function dumpedLine(file: string): number | null {
  const at = `File "${file}", line `;
  // From the dump's own header on: a traceback the file printed earlier is not where it stopped.
  const i = output.indexOf(at, Math.max(0, output.lastIndexOf('Stack (most recent call first)')));
  const line = i < 0 ? NaN : parseInt(output.slice(i + at.length), 10);
  return Number.isInteger(line) ? line : null;
}

/** Pyodide's mark on the error of a fatal failure (or an exit): the interpreter cannot run again. */
function isFatal(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { pyodide_fatal_error?: unknown }).pyodide_fatal_error === true;
}

/** A run that left no graph: say why, so the user knows what to add. */
function nothingToTrace(bridge: Bridge): TraceError {
  const message = bridge.madeTensors()
    ? 'nothing to trace: the file called no .backward(), has no global `loss` tensor and computed no float scalar'
    : 'nothing to trace: the file made no tensors (import torch and compute something)';
  return { type: 'NoGraphError', message, line: null };
}

/**
 * A small lesson-13 step, traced once while nobody waits: the interpreter's and the engine's hot
 * paths are compiled before the first real trace (which ran 3–5× slower than the next without it).
 */
const WARM_UP = `
import torch
x, y = torch.randn(64, 20), torch.randn(64)
w1, b1 = torch.randn(20, 8, requires_grad=True), torch.zeros(8, requires_grad=True)
w2 = torch.randn(8, 1, requires_grad=True)
l1 = x @ w1 + b1
out = l1.clamp_min(0.) @ w2
loss = ((out[:, 0] - y) ** 2).mean()
loss.backward()
`;

function warmUp(py: PyodideAPI, run: (file: string) => void, bridge: Bridge): void {
  const file = '/gradlens/warm-up/step.py';
  try {
    py.FS.mkdirTree(path.posix.dirname(file));
    py.FS.writeFile(file, WARM_UP);
    bridge.reset(64 * 1024 * 1024);
    run(file);
    exportGraph(bridge.session, chooseRoot(bridge.session, bridge.result.loss?.node ?? null), {});
  } catch (e) {
    // A fatal one left the interpreter unusable: this worker ends ('fatal'), and the runner
    // starts the next one without a warm-up.
    if (isFatal(e)) fail(new Error(`the warm-up left the Python runtime unusable: ${(e as Error).message}`));
    // Only a head start: an ordinary failure here shows again, properly, in the first real trace.
  }
  bridge.reset(0);
  output = '';
}

async function main(): Promise<void> {
  const started = Date.now();
  const py = await loadPyodideFast({ indexURL: data.pyodideDir, stdout: () => {}, stderr: () => {} });
  py.setStdout(writer());
  py.setStderr(writer());
  // No terminal behind a trace: input() reads end-of-file instead of blocking the worker.
  py.setStdin({ stdin: () => undefined });
  (globalThis as { gradlensPyHeapBytes?: () => number }).gradlensPyHeapBytes =
    () => (py as unknown as { _module: { HEAPU8: Uint8Array } })._module.HEAPU8.length;
  const bridge = new Bridge();
  py.registerJsModule('_gradlens_bridge', { bridge });
  installShim(py, data.pythonDir, '/gradlens/lib');
  py.runPython(`
import sys
sys.path.insert(0, '/gradlens/lib')
sys.dont_write_bytecode = True
import _gradlens.run
_gradlens.run.install_guards()
`);
  const run = py.pyimport('_gradlens.run').run as (file: string) => void;
  // Interrupts reach Python only once setup is done (a stop during startup never sends one).
  const interrupts = new Int32Array(data.interrupt);
  Atomics.store(interrupts, 0, 0);
  py.setInterruptBuffer(interrupts);
  // After the model file: a buffer nobody writes, until the next trace starts.
  const deaf = new Int32Array(1);
  bridge.onModelDone = () => py.setInterruptBuffer(deaf);
  send({ type: 'ready', ms: Date.now() - started });

  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'warmUp') {
      py.setInterruptBuffer(deaf); // a stop meant for a trace queued behind it is for that trace
      warmUp(py, run, bridge);
      send({ type: 'warmedUp' });
      return;
    }
    const t0 = performance.now();
    currentId = msg.id;
    output = '';
    // The runner clears the flag after every trace, so a stop found here is this trace's (asked
    // for while it waited behind the warm-up): it ends before running anything.
    const stoppedBefore = Atomics.exchange(interrupts, 0, 0) === 2;
    py.setInterruptBuffer(interrupts);
    let error: TraceError | null = null;
    let restart = false;
    let runMs = 0;
    const file = path.resolve(msg.file);
    try {
      bridge.reset((msg.options.memoryLimitMB ?? 4096) * 1024 * 1024);
      mount(py, path.dirname(file));
      if (stoppedBefore) {
        error = { type: 'KeyboardInterrupt', message: 'stopped before it started', line: null };
      } else {
        const r0 = performance.now();
        run(file);
        runMs = performance.now() - r0;
        if (bridge.result.error) error = JSON.parse(bridge.result.error) as TraceError;
      }
    } catch (e) {
      ({ error, restart } = escapedError(e, bridge, file));
    }
    let trace: Trace;
    try {
      const session = bridge.session;
      const root = chooseRoot(session, bridge.result.loss?.node ?? null);
      const graph = exportGraph(session, root, { full: msg.options.full, maxNodes: msg.options.maxNodes });
      trace = {
        format: TRACE_FORMAT, version: TRACE_VERSION, file, root: graph.root, nodes: graph.nodes, ops: graph.ops,
        error, losses: graph.losses, output,
        timing: { totalMs: performance.now() - t0, runMs },
      };
      if (graph.truncated) trace.truncated = graph.truncated;
      if (!trace.error && graph.root === null) trace.error = nothingToTrace(bridge);
    } catch (e) {
      const err = e as Error & { type?: string };
      trace = {
        format: TRACE_FORMAT, version: TRACE_VERSION, file, root: null, nodes: [], ops: {},
        error: error ?? { type: err.type ?? 'InternalError', message: `exporting the trace failed: ${err.message}`, line: null },
        losses: [...bridge.session.losses], output, timing: { totalMs: performance.now() - t0, runMs },
      };
    }
    // Drop this run's tensors before the next one (the Python side cleared its globals).
    bridge.reset(bridge.session ? (msg.options.memoryLimitMB ?? 4096) * 1024 * 1024 : 0);
    send({ type: 'done', id: msg.id, trace, restart });
  });
}

function fail(e: Error): never {
  send({ type: 'fatal', message: e.stack ?? String(e) });
  process.exit(1);
}

main().catch(fail);
