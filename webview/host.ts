// The page's link to the extension host, or its stand-in on the standalone HTML page (no host:
// the trace is inlined, go-to-source only shows the line, slices are not available).
import { isHostMessage, REQUEST_TIMEOUT_MS, type HostMessage, type NodeImages, type SliceKind, type WebviewMessage } from '../src/shared/protocol';
import { isTrace, type Summary, type Trace } from '../src/shared/trace';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface ViewState { file?: string; collapsed?: string[]; selected?: number | null; selectedKey?: string }

export class Host {
  readonly standalone: boolean;
  private readonly api: VsCodeApi | null;
  private nextRequest = 1;
  /** Requests in flight, with the reply type each expects (a page shown again restarts the ids). */
  private readonly waiting = new Map<number, { reply: 'sliceReply' | 'imagesReply'; resolve: (reply: never) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private listener: (m: HostMessage) => void = () => {};

  constructor() {
    this.api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
    this.standalone = !this.api;
    window.addEventListener('message', (e: MessageEvent) => {
      if (!this.api || !isHostMessage(e.data)) return;
      if (e.data.type === 'sliceReply') this.settle('sliceReply', e.data.requestId, e.data.summary, e.data.error);
      else if (e.data.type === 'imagesReply') this.settle('imagesReply', e.data.requestId, e.data.images, e.data.error);
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

  /** Every value of a node's tensor (trace `seq`): the host may run the file again to get them. */
  requestSlice(seq: number, nodeId: number, which: SliceKind): Promise<Summary> {
    if (!this.api) return Promise.reject(new Error('the full values are not part of this page'));
    return this.request('sliceReply', (requestId) => ({ type: 'requestSlice', requestId, seq, nodeId, which }));
  }

  /** A node's pictures, left out of a trace sent with imagesOnRequest. */
  requestImages(seq: number, nodeId: number): Promise<NodeImages> {
    if (!this.api) return Promise.reject(new Error('no pictures on this page'));
    return this.request('imagesReply', (requestId) => ({ type: 'requestImages', requestId, seq, nodeId }));
  }

  private request<T>(reply: 'sliceReply' | 'imagesReply', message: (requestId: number) => WebviewMessage): Promise<T> {
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(reply, requestId, undefined, 'the extension did not answer in time'), REQUEST_TIMEOUT_MS);
      this.waiting.set(requestId, { reply, resolve: resolve as (reply: never) => void, reject, timer });
      this.post(message(requestId));
    });
  }

  private settle(type: 'sliceReply' | 'imagesReply', id: number, reply: unknown, error: string | undefined): void {
    const w = this.waiting.get(id);
    if (!w || w.reply !== type) return; // a reply meant for an earlier page
    this.waiting.delete(id);
    clearTimeout(w.timer);
    if (reply) w.resolve(reply as never);
    else w.reject(new Error(error ?? 'no data'));
  }

  get state(): ViewState {
    return (this.api?.getState() as ViewState | undefined) ?? {};
  }

  saveState(state: ViewState): void {
    this.api?.setState(state);
  }
}
