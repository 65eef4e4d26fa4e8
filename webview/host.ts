// The page's link to the extension host, or its stand-in on the standalone HTML page (no host:
// the trace is inlined, go-to-source only shows the line, slices are not available).
import { isHostMessage, REQUEST_TIMEOUT_MS, type HostMessage, type SliceKind, type WebviewMessage } from '../src/shared/protocol';
import { isTrace, type Summary, type Trace } from '../src/shared/trace';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface ViewState { file?: string; collapsed?: string[]; selected?: number | null }

export class Host {
  readonly standalone: boolean;
  private readonly api: VsCodeApi | null;
  private nextRequest = 1;
  private readonly waiting = new Map<number, { resolve: (s: Summary) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private listener: (m: HostMessage) => void = () => {};

  constructor() {
    this.api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
    this.standalone = !this.api;
    window.addEventListener('message', (e: MessageEvent) => {
      if (!this.api || !isHostMessage(e.data)) return;
      if (e.data.type === 'sliceReply') this.settle(e.data.requestId, e.data.summary, e.data.error);
      else this.listener(e.data);
    });
  }

  onMessage(listener: (m: HostMessage) => void): void {
    this.listener = listener;
  }

  /** The trace inlined in the page, when there is one (standalone HTML). */
  inlineTrace(): Trace | null {
    const el = document.getElementById('gradlens-trace');
    if (!el?.textContent?.trim()) return null;
    try {
      const t: unknown = JSON.parse(el.textContent);
      return isTrace(t) ? t : null;
    } catch {
      return null;
    }
  }

  post(message: WebviewMessage): void {
    this.api?.postMessage(message);
  }

  requestSlice(nodeId: number, which: SliceKind): Promise<Summary> {
    if (!this.api) return Promise.reject(new Error('the full values are not part of this page'));
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(requestId, undefined, 'the extension did not answer in time'), REQUEST_TIMEOUT_MS);
      this.waiting.set(requestId, { resolve, reject, timer });
      this.post({ type: 'requestSlice', requestId, nodeId, which });
    });
  }

  private settle(id: number, summary: Summary | undefined, error: string | undefined): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    if (summary) w.resolve(summary);
    else w.reject(new Error(error ?? 'no data'));
  }

  get state(): ViewState {
    return (this.api?.getState() as ViewState | undefined) ?? {};
  }

  saveState(state: ViewState): void {
    this.api?.setState(state);
  }
}
