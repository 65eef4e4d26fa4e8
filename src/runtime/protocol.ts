// Messages between the runner (main thread) and the runtime worker.
import type { Trace } from '../shared/trace';

export interface WorkerData {
  /** Int32Array(1) over this buffer is Pyodide's interrupt buffer: 2 = SIGINT. */
  interrupt: SharedArrayBuffer;
  pythonDir: string;
  pyodideDir: string;
}

export interface WorkerTraceOptions {
  full?: boolean;
  maxNodes?: number;
  memoryLimitMB?: number;
}

export type ToWorker =
  | { type: 'trace'; id: number; file: string; options: WorkerTraceOptions }
  /** Trace a small built-in step now (RunnerOptions.warmUp): sent only while no trace waits. */
  | { type: 'warmUp' };

export type FromWorker =
  | { type: 'ready'; ms: number }
  | { type: 'warmedUp' }
  | { type: 'output'; id: number; text: string }
  /** `restart`: this interpreter must not run another trace (the runner replaces the worker). */
  | { type: 'done'; id: number; trace: Trace; restart?: boolean }
  /** The interpreter cannot run (its start, or the warm-up, failed); the worker exits. */
  | { type: 'fatal'; message: string };
