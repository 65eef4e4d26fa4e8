// The runtime as the extension host and the CLI see it: trace a model file in a warm worker.
import type { Trace } from '../shared/trace';

export interface TraceOptions {
  /** Stop the run after this long (default 60 s); the trace then has error.type 'TimeoutError'. */
  timeoutMs?: number;
  /** Cap on tensor data (default 4096 MB); the allocating line fails with a MemoryError. */
  memoryLimitMB?: number;
  /** Include every value (`data`) in each summary. */
  full?: boolean;
  /** Keep at most this many nodes of the root's graph (the rest is counted in `truncated`). */
  maxNodes?: number;
  /** Printed output as it happens (the trace still carries all of it in `output`). */
  onOutput?: (text: string) => void;
}

export interface TraceRunner {
  /** Runs `file` (absolute path) with fresh globals and a fresh tape; resolves with the trace, also when the model fails (`trace.error`). */
  trace(file: string, options?: TraceOptions): Promise<Trace>;
  /** Stops the running trace (interrupt, then terminate + restart); its promise resolves with error.type 'CancelledError'. */
  cancel(): void;
  /** Ends the worker. */
  dispose(): Promise<void>;
}
