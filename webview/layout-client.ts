// Runs layout in a Web Worker started from a blob URL, so a big graph never freezes the page;
// a newer request cancels the older one (the worker is terminated). Without workers, inline.
// Small graphs are laid out inline too: starting the worker costs more than their layout.
import { computeLayout, type LayoutInput, type LayoutResult } from './layout';

const INLINE_NODES = 150;

declare const GRADLENS_LAYOUT_WORKER: string; // defined by webview/build.mjs

export class LayoutClient {
  private worker: Worker | null = null;
  private url: string | null = null;
  private nextId = 1;
  private pending: { id: number; resolve: (r: LayoutResult) => void; reject: (e: Error) => void } | null = null;
  private workerBroken = false;
  private last: { key: string; result: LayoutResult } | null = null;

  layout(input: LayoutInput): Promise<LayoutResult> {
    this.cancel();
    // Tracing the same file again mostly gives the same graph: its layout is reused (dagre takes
    // ~100 ms even for 20 nodes once they sit in call boxes).
    const key = JSON.stringify(input);
    if (this.last?.key === key) return Promise.resolve(structuredClone(this.last.result));
    return this.compute(input).then((result) => {
      this.last = { key, result: structuredClone(result) };
      return result;
    });
  }

  private compute(input: LayoutInput): Promise<LayoutResult> {
    if (input.nodes.length <= INLINE_NODES) return Promise.resolve(computeLayout(input));
    if (this.workerBroken || !this.ensureWorker()) return new Promise((resolve) => setTimeout(() => resolve(computeLayout(input)), 0));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.worker!.postMessage({ id, input });
    });
  }

  cancel(): void {
    if (!this.pending) return;
    this.pending.reject(new Error('cancelled'));
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
  }

  private ensureWorker(): boolean {
    if (this.worker) return true;
    try {
      if (typeof GRADLENS_LAYOUT_WORKER !== 'string' || typeof Worker === 'undefined') return false;
      this.url ??= URL.createObjectURL(new Blob([GRADLENS_LAYOUT_WORKER], { type: 'text/javascript' }));
      const worker = new Worker(this.url);
      worker.onmessage = (e: MessageEvent<{ id: number; result: LayoutResult }>) => {
        if (this.pending?.id !== e.data.id) return;
        const { resolve } = this.pending;
        this.pending = null;
        resolve(e.data.result);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        this.workerBroken = true;
        this.worker = null;
        const p = this.pending;
        this.pending = null;
        if (p) p.reject(new Error('layout worker failed: ' + e.message));
      };
      this.worker = worker;
      return true;
    } catch {
      this.workerBroken = true;
      return false;
    }
  }
}
