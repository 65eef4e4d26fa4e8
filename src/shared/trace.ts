// Trace format v1 (DESIGN.md "Trace JSON, version 1"): the one product of a run, shared by the
// CLI (--json), the webview and the tests. Plain data only: no imports, no classes.

export const TRACE_FORMAT = 'gradlens-trace';
export const TRACE_VERSION = 1;

export type DType = 'float32' | 'int64' | 'bool';

export interface Summary {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Mean of |x|: the gradient "magnitude" the graph shows. */
  absMean?: number;
  /** Number of NaN/inf elements, when any. */
  nonFinite?: number;
  /** Row-major values: always for small tensors (≤ TRACE_INLINE_LIMIT elements), all with --full. */
  data?: number[];
  /** The first values, for the details view, when `data` is absent. */
  head?: number[];
  /** A downsampled 2-D picture (mean of each block) for heatmaps, row-major rows×cols. */
  image?: { rows: number; cols: number; data: number[] };
  /** A histogram over [min, max]. */
  histogram?: number[];
  /** Big tensors: the histogram and image were drawn from every k-th row (stats use every element). */
  sampledEveryRows?: number;
}

/** Tensors with at most this many elements carry their full `data` in every trace. */
export const TRACE_INLINE_LIMIT = 64;

export interface SourceLoc {
  line: number; // 1-based, in the model file
  column: number; // 1-based
  /** Enclosing function or method, e.g. `lin`, `Lin.backward`, `Model.__call__`; '<module>' at top level. */
  func?: string;
  /** Call stack inside the model file, outermost first (e.g. ['<module>', 'Model.__call__', 'Lin.__call__']). */
  stack?: string[];
  /**
   * Optional, parallel to `stack`: an id per call of each frame, so two back-to-back calls of the
   * same function (`lin(lin(x))`) are told apart. The webview groups nodes by call with it; without
   * it, consecutive nodes with the same stack are taken as one call.
   */
  callIds?: number[];
}

/** How the gradient reaching input `input` was summed back to that input's shape. */
export interface BroadcastReduction {
  input: number; // index into node.inputs
  from: number[]; // shape of the gradient before reduction (= the op's broadcast shape)
  to: number[]; // the input's shape
  dims: number[]; // dims summed over, in `from`'s numbering
}

export interface TraceNode {
  id: number;
  op: string; // op row name, or 'leaf' for tensors made without an op (parameters, data)
  inputs: number[];
  shape: number[];
  dtype: DType;
  /** Python paths from the module's globals at the end of the run: `w1`, `model.layers[0].w`. */
  names: string[];
  /** The variable the result was assigned to in the source line, when known (`l1` for `l1 = inp @ w1 + b1`). */
  label?: string;
  loc: SourceLoc | null;
  /** Op parameters worth showing (dim, keepdim, index expressions, scalar operands). */
  params?: Record<string, unknown>;
  requiresGrad: boolean;
  value: Summary;
  grad: Summary | null; // d root / d this node, computed by the engine; null if not reachable
  userGrad: Summary | null; // summary of the `.g` the file assigned, or null
  /** When the `.g` shape differs from the node's shape. */
  userGradShape?: number[];
  /** Max abs and relative difference between userGrad and grad, when both exist and shapes match. */
  userGradDiff?: { maxAbs: number; maxRel: number };
  reductions?: BroadcastReduction[];
}

/** The hover card's vocabulary, per op name: one formula per input (`grad`, `result`, input names). */
export interface OpInfo {
  inputNames: string[];
  formulas: string[];
  differentiable: boolean;
}

export interface TraceError {
  type: string; // e.g. 'ShapeError', 'SyntaxError', 'UnsupportedError', 'TimeoutError'
  message: string;
  line: number | null;
  column?: number | null;
  traceback?: string;
}

export interface Trace {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  file: string;
  root: number | null;
  nodes: TraceNode[];
  ops: Record<string, OpInfo>;
  error: TraceError | null;
  /** Loss value at each `.backward()` call, in order (a training loop's loss curve). */
  losses: number[];
  /** Everything the file printed to stdout/stderr. */
  output: string;
  /** Nodes dropped because the graph was larger than the node limit. */
  truncated?: number;
  timing?: { totalMs: number; runMs: number };
}

export function isTrace(x: unknown): x is Trace {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<Trace>;
  return t.format === TRACE_FORMAT && t.version === TRACE_VERSION && Array.isArray(t.nodes);
}
