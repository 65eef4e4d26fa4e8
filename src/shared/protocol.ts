// Messages between the extension host and the graph webview: one string-literal `type` tag per
// message, one union per direction, a `ready` handshake, and request ids whose replies settle
// (or time out) on the asking side. Every incoming message goes through isHostMessage /
// isWebviewMessage before it is used.
import { isTrace, type Summary, type Trace } from './trace';

export type SliceKind = 'value' | 'grad' | 'userGrad';

/** A node's downsampled pictures: sent when its details are opened, not with every trace. */
export type NodeImages = Partial<Record<SliceKind, NonNullable<Summary['image']>>>;

// ── host → webview ───────────────────────────────────────────────────────────────────────────
/**
 * A trace. With `imagesOnRequest`, its summaries come without their pictures (they are most of a
 * trace's bytes, and only the selected node's are shown): `requestImages` asks for one node's,
 * naming the trace by its `seq`.
 */
export interface TraceMessage { type: 'trace'; trace: Trace; seq?: number; imagesOnRequest?: boolean }
export interface HighlightLineMessage { type: 'highlightLine'; line: number | null }
export interface BusyMessage { type: 'busy'; busy: boolean; message?: string }
export interface ErrorMessage { type: 'error'; message: string }
/** The answer to a `requestSlice`: `summary` carries `data` (and maybe `image`) for the node, or `error` says why not. */
export interface SliceReplyMessage {
  type: 'sliceReply';
  requestId: number;
  summary?: Summary;
  error?: string;
}

/** The answer to a `requestImages`: the node's pictures, or `error` (e.g. that trace was replaced). */
export interface ImagesReplyMessage { type: 'imagesReply'; requestId: number; images?: NodeImages; error?: string }

export type HostMessage = TraceMessage | HighlightLineMessage | BusyMessage | ErrorMessage | SliceReplyMessage | ImagesReplyMessage;

// ── webview → host ───────────────────────────────────────────────────────────────────────────
export interface ReadyMessage { type: 'ready' }
export interface GoToSourceMessage { type: 'goToSource'; line: number; column: number }
export interface RequestSliceMessage { type: 'requestSlice'; requestId: number; seq: number; nodeId: number; which: SliceKind }
export interface RetraceMessage { type: 'retrace' }
export interface RequestImagesMessage { type: 'requestImages'; requestId: number; seq: number; nodeId: number }

export type WebviewMessage = ReadyMessage | GoToSourceMessage | RequestSliceMessage | RetraceMessage | RequestImagesMessage;

/** The trace without its summaries' pictures (what a `trace` message with imagesOnRequest carries). */
export function withoutImages(trace: Trace): Trace {
  const lean = <S extends Summary | null | undefined>(s: S): S => {
    if (!s?.image) return s;
    const copy = { ...s };
    delete copy.image;
    return copy;
  };
  return { ...trace, nodes: trace.nodes.map((n) => ({ ...n, value: lean(n.value), grad: lean(n.grad), userGrad: lean(n.userGrad) })) };
}

/** The pictures of one node of `trace`. */
export function imagesOf(trace: Trace, nodeId: number): NodeImages | undefined {
  const n = trace.nodes.find((x) => x.id === nodeId);
  if (!n) return undefined;
  const images: NodeImages = {};
  if (n.value.image) images.value = n.value.image;
  if (n.grad?.image) images.grad = n.grad.image;
  if (n.userGrad?.image) images.userGrad = n.userGrad.image;
  return images;
}

/** How long the webview waits for a reply before settling the request with an error. */
export const REQUEST_TIMEOUT_MS = 10_000;

type Fields = Record<string, unknown>;

function isObject(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

function isPositiveLine(x: unknown): x is number {
  return isInt(x) && x >= 1;
}

function isSummary(x: unknown): x is Summary {
  return isObject(x) && typeof x.min === 'number' && typeof x.max === 'number' &&
    typeof x.mean === 'number' && typeof x.std === 'number';
}

function isSliceKind(x: unknown): x is SliceKind {
  return x === 'value' || x === 'grad' || x === 'userGrad';
}

function isImage(x: unknown): boolean {
  return isObject(x) && isInt(x.rows) && isInt(x.cols) && Array.isArray(x.data);
}

function isNodeImages(x: unknown): x is NodeImages {
  return isObject(x) && Object.entries(x).every(([k, v]) => isSliceKind(k) && isImage(v));
}

export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'trace': return isTrace(x.trace) && (x.seq === undefined || isInt(x.seq)) && (x.imagesOnRequest === undefined || typeof x.imagesOnRequest === 'boolean');
    case 'highlightLine': return x.line === null || isPositiveLine(x.line);
    case 'busy': return typeof x.busy === 'boolean' && (x.message === undefined || typeof x.message === 'string');
    case 'error': return typeof x.message === 'string';
    case 'sliceReply':
      return isInt(x.requestId) && (x.summary === undefined || isSummary(x.summary)) &&
        (x.error === undefined || typeof x.error === 'string');
    case 'imagesReply':
      return isInt(x.requestId) && (x.images === undefined || isNodeImages(x.images)) &&
        (x.error === undefined || typeof x.error === 'string');
    default: return false;
  }
}

export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready': return true;
    case 'retrace': return true;
    case 'goToSource': return isPositiveLine(x.line) && isPositiveLine(x.column);
    case 'requestSlice': return isInt(x.requestId) && isInt(x.seq) && isInt(x.nodeId) && isSliceKind(x.which);
    case 'requestImages': return isInt(x.requestId) && isInt(x.seq) && isInt(x.nodeId);
    default: return false;
  }
}
