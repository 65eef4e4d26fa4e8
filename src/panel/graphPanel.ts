// One webview panel per model file (VS Code's webview sample: createOrShow / revive, disposables,
// CSP with a nonce (./html.ts), HTML set once). The webview keeps its own view state with setState; the host
// only remembers which file a panel belongs to, so a reload can bring it back.
import * as path from 'path';
import * as vscode from 'vscode';
import { imagesOf, isWebviewMessage, withoutImages, type HostMessage, type SliceKind, type WebviewMessage } from '../shared/protocol';
import type { Summary, Trace } from '../shared/trace';
import { renderPanelHtml } from './html';

export const PANEL_VIEW_TYPE = 'gradlens.graph';

export interface PanelHost {
  /** The webview asked for a new trace of this panel's file. */
  retrace(panel: GraphPanel): void;
  /** Reveal `line`/`column` (1-based) of the panel's file in an editor. */
  goToSource(panel: GraphPanel, line: number, column: number): void;
  /** The same run with every value kept (`full`), for slices the summaries do not carry; undefined if not possible. */
  fullTrace(panel: GraphPanel, shown: Trace): Promise<Trace | { unavailable: string }>;
  /** A panel was closed. */
  closed(panel: GraphPanel): void;
}

export class GraphPanel implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  private readonly queue: { message: HostMessage; settle: (accepted: boolean) => void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private lastTrace: Trace | undefined;
  /** Numbers the traces sent to the page: a request names the one it is about. */
  private seq = 0;
  private readonly readyWaiters: (() => void)[] = [];
  /** What the last `trace` message achieved: for tests and the reply to `requestSlice`. */
  delivered: { trace: Trace; accepted: boolean } | undefined;

  static create(extensionUri: vscode.Uri, file: vscode.Uri, host: PanelHost, column: vscode.ViewColumn): GraphPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title(file), { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: resourceRoots(extensionUri),
    });
    return new GraphPanel(panel, extensionUri, file, host);
  }

  static revive(webviewPanel: vscode.WebviewPanel, extensionUri: vscode.Uri, file: vscode.Uri, host: PanelHost): GraphPanel {
    webviewPanel.webview.options = { enableScripts: true, localResourceRoots: resourceRoots(extensionUri) };
    webviewPanel.title = title(file);
    return new GraphPanel(webviewPanel, extensionUri, file, host);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly file: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    panel.webview.html = renderPanelHtml(panel.webview, extensionUri, file);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      // A hidden panel loses its page (no retainContextWhenHidden): hold messages until the page
      // is back and says `ready` again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the webview said `ready` (or never, if it is closed first). */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  reveal(column: vscode.ViewColumn): void {
    this.panel.reveal(column, true);
  }

  showTrace(trace: Trace): Promise<boolean> {
    this.lastTrace = trace;
    // The pictures stay here until a node's details ask for them: they are most of the bytes.
    return this.post({ type: 'trace', trace: withoutImages(trace), seq: ++this.seq, imagesOnRequest: true }).then((accepted) => {
      if (this.lastTrace === trace) this.delivered = { trace, accepted };
      return accepted;
    });
  }

  busy(busy: boolean, message?: string): void {
    void this.post({ type: 'busy', busy, message });
  }

  error(message: string): void {
    void this.post({ type: 'error', message });
  }

  highlightLine(line: number | null): void {
    void this.post({ type: 'highlightLine', line });
  }

  private post(message: HostMessage): Promise<boolean> {
    if (this.ready) return Promise.resolve(this.panel.webview.postMessage(message)).then(undefined, () => false);
    // Until the page is ready only the latest of each kind matters, and a new trace makes the
    // waiting busy/error/trace messages moot.
    const moot = message.type === 'trace' ? ['trace', 'busy', 'error'] : [message.type];
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (moot.includes(this.queue[i].message.type)) this.queue.splice(i, 1)[0].settle(false);
    }
    return new Promise((settle) => this.queue.push({ message, settle }));
  }

  private receive(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      console.warn('[gradlens] ignored an invalid message from the webview', raw);
      return;
    }
    const message: WebviewMessage = raw;
    switch (message.type) {
      case 'ready':
        this.onReady();
        return;
      case 'goToSource':
        this.host.goToSource(this, message.line, message.column);
        return;
      case 'retrace':
        this.host.retrace(this);
        return;
      case 'requestImages': {
        const current = message.seq === this.seq && this.lastTrace;
        const images = current ? imagesOf(current, message.nodeId) : undefined;
        const error = !current ? 'a newer trace replaced this one' : `no node ${message.nodeId} in the current trace`;
        void this.panel.webview.postMessage({ type: 'imagesReply', requestId: message.requestId, ...(images ? { images } : { error }) } satisfies HostMessage);
        return;
      }
      case 'requestSlice':
        void (message.seq === this.seq ? this.slice(message.nodeId, message.which) : Promise.resolve({ error: 'a newer trace replaced this one' })).then((reply) =>
          this.panel.webview.postMessage({ type: 'sliceReply', requestId: message.requestId, ...reply } satisfies HostMessage));
        return;
    }
  }

  private onReady(): void {
    // A page that says `ready` again (shown after being hidden, reloaded) has lost its data.
    this.ready = true;
    const pending = this.queue.splice(0);
    if (this.lastTrace && !pending.some((q) => q.message.type === 'trace')) void this.showTrace(this.lastTrace);
    for (const { message, settle } of pending) {
      Promise.resolve(this.panel.webview.postMessage(message)).then(settle, () => settle(false));
    }
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  /**
   * Slices come from the trace shown when it carries the values (small tensors), else from the
   * same file run again with every value kept (once per trace, on the first request).
   */
  private async slice(nodeId: number, which: SliceKind): Promise<{ summary?: Summary; error?: string }> {
    const shown = this.lastTrace;
    const node = shown?.nodes.find((n) => n.id === nodeId);
    if (!shown || !node) return { error: `no node ${nodeId} in the current trace` };
    const summary = node[which];
    if (!summary) return { error: `this node has no ${which === 'userGrad' ? '.g' : which}` };
    if (summary.data) return { summary };
    const full = await this.host.fullTrace(this, shown);
    if ('unavailable' in full) return { error: full.unavailable };
    // Matched by position: a run that takes another path can number its nodes differently.
    const index = shown.nodes.indexOf(node);
    const twin = full.nodes[index];
    const again = twin && twin.op === node.op && twin.shape.join() === node.shape.join() ? twin[which] : undefined;
    if (!again?.data || Math.abs(again.mean - summary.mean) > 1e-5 * (1 + Math.abs(summary.mean))) {
      return { error: 'running the file again gave different values (unseeded randomness?): re-trace to see them' };
    }
    return { summary: again };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.host.closed(this);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function title(file: vscode.Uri): string {
  return `Gradlens: ${path.basename(file.fsPath)}`;
}

function resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}
