// Messages between the extension host and the graph webview: one string-literal `type` tag per
// message, one union per direction, a `ready` handshake, and request ids whose replies settle
// (or time out) on the asking side. Every incoming message goes through isHostMessage /
// isWebviewMessage before it is used.
import { isTrace, type Summary, type Trace } from './trace';

export type SliceKind = 'value' | 'grad' | 'userGrad';

// ── host → webview ───────────────────────────────────────────────────────────────────────────
export interface TraceMessage { type: 'trace'; trace: Trace }
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

export type HostMessage = TraceMessage | HighlightLineMessage | BusyMessage | ErrorMessage | SliceReplyMessage;

// ── webview → host ───────────────────────────────────────────────────────────────────────────
export interface ReadyMessage { type: 'ready' }
export interface GoToSourceMessage { type: 'goToSource'; line: number; column: number }
export interface RequestSliceMessage { type: 'requestSlice'; requestId: number; nodeId: number; which: SliceKind }
export interface RetraceMessage { type: 'retrace' }

export type WebviewMessage = ReadyMessage | GoToSourceMessage | RequestSliceMessage | RetraceMessage;

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

export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'trace': return isTrace(x.trace);
    case 'highlightLine': return x.line === null || isPositiveLine(x.line);
    case 'busy': return typeof x.busy === 'boolean' && (x.message === undefined || typeof x.message === 'string');
    case 'error': return typeof x.message === 'string';
    case 'sliceReply':
      return isInt(x.requestId) && (x.summary === undefined || isSummary(x.summary)) &&
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
    case 'requestSlice': return isInt(x.requestId) && isInt(x.nodeId) && isSliceKind(x.which);
    default: return false;
  }
}
