// Messages between the runner (main thread) and the runtime worker.
import type { Trace } from '../shared/trace';

export interface WorkerData {
  /** Int32Array(1) over this buffer is Pyodide's interrupt buffer: 2 = SIGINT. */
  interrupt: SharedArrayBuffer;
  pythonDir: string;
  pyodideDir: string;
  /** Trace a small built-in step before `ready` (RunnerOptions.warmUp). */
  warmUp: boolean;
}

export interface WorkerTraceOptions {
  full?: boolean;
  maxNodes?: number;
  memoryLimitMB?: number;
}

export type ToWorker = { type: 'trace'; id: number; file: string; options: WorkerTraceOptions };

export type FromWorker =
  | { type: 'ready'; ms: number }
  | { type: 'output'; id: number; text: string }
  /** `restart`: this interpreter must not run another trace (the runner replaces the worker). */
  | { type: 'done'; id: number; trace: Trace; restart?: boolean }
  | { type: 'fatal'; message: string };
