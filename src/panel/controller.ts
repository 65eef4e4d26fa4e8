// The host side of Gradlens: runs traces (one at a time, with progress and Cancel: ./progress.ts),
// keeps one panel per model file, reports each run (output, diagnostics: ./report.ts), and links
// the editor and the graph.
import * as path from 'path';
import * as vscode from 'vscode';
import type { TraceOptions, TraceRunner } from '../runtime/api';
import type { Trace } from '../shared/trace';
import { GraphPanel, PANEL_VIEW_TYPE, type PanelHost } from './graphPanel';
import { withDelayedProgress } from './progress';
import { TraceReporter } from './report';
import { Warmer } from './warm';

/** A runner may offer `warm()`: start the worker (Pyodide loads in seconds) before the first trace. */
export type RunnerFactory = (hooks: { onReady: (ms: number) => void }) => TraceRunner & { warm?: () => Promise<void> };

/** Above this many numbers in a run, "load all values" is refused rather than re-run with every value kept. */
const FULL_TRACE_LIMIT = 20_000_000;

const OPEN_PANELS_KEY = 'gradlens.openPanels';

interface Running {
  file: string;
  promise: Promise<Trace>;
  cancelled: boolean;
  /** Cancelled because another trace was asked for: its result is not shown. */
  superseded?: boolean;
}

/** What the extension exports: used by the end-to-end tests and by anyone scripting Gradlens. */
export interface GradlensApi {
  trace(file: vscode.Uri, options?: { fromLine?: number }): Promise<Trace | undefined>;
  cancel(): void;
  panelFor(file: vscode.Uri): GraphPanel | undefined;
  readonly running: boolean;
  readonly lastTimings: { runMs: number; reportMs: number; showMs: number; runtimeReadyMs: number };
}

export class Gradlens implements PanelHost, GradlensApi, vscode.Disposable {
  private runner: ReturnType<RunnerFactory> | undefined;
  readonly warmer = new Warmer(() => this.warmRuntime());
  private current: Running | undefined;
  private readonly panels = new Map<string, GraphPanel>();
  private readonly output = vscode.window.createOutputChannel('Gradlens');
  private readonly reporter: TraceReporter;
  /** Files the user allowed to run in an untrusted workspace (this session only). */
  private readonly allowedUntrusted = new Set<string>();
  private readonly savingForTrace = new Set<string>();
  /** The `full` re-run of a shown trace, made on the first slice request. */
  private readonly fullTraces = new WeakMap<Trace, Promise<Trace | { unavailable: string }>>();
  private highlightTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly createRunner: RunnerFactory,
  ) {
    this.reporter = new TraceReporter(context.workspaceState, this.output);
    this.disposables.push(
      this.reporter,
      this.output,
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
      vscode.window.onDidChangeActiveTextEditor((e) => this.warmer.forDocument(e?.document)),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.revive(panel, state),
      }),
    );
  }

  /** Start the worker before the first click (src/panel/warm.ts says when). */
  private warmRuntime(): void {
    if (this.runner) return;
    // The runner's errors say what failed (its start, or the warm-up).
    void this.getRunner().warm?.().catch((e: unknown) => this.output.appendLine(e instanceof Error ? e.message : String(e)));
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Where the last trace's time went (ms): the run, diagnostics, delivery to the webview. */
  lastTimings = { runMs: 0, reportMs: 0, showMs: 0, runtimeReadyMs: 0 };

  panelFor(file: vscode.Uri): GraphPanel | undefined {
    return this.panels.get(file.toString());
  }

  // ── tracing ────────────────────────────────────────────────────────────────────────────────

  /** Trace `file`, show the result in its panel (created beside the editor on first use). */
  async trace(file: vscode.Uri, options: { fromLine?: number; reveal?: boolean } = {}): Promise<Trace | undefined> {
    if (file.scheme !== 'file') {
      void vscode.window.showWarningMessage('Gradlens traces files on disk: save this file first.');
      return undefined;
    }
    if (!(await this.mayRun(file))) return undefined;
    await this.saveIfDirty(file);

    const panel = this.showPanel(file, options.reveal !== false);
    if (this.current) await this.cancelAndWait();

    const config = vscode.workspace.getConfiguration('gradlens', file);
    const traceOptions: TraceOptions = {
      timeoutMs: Math.max(1, config.get<number>('timeoutSeconds', 60)) * 1000,
      memoryLimitMB: config.get<number>('memoryLimitMB', 2048),
      maxNodes: config.get<number>('maxNodes', 5000),
      onOutput: (text) => this.output.append(text),
    };
    const name = path.basename(file.fsPath);
    this.output.appendLine(`── ${new Date().toLocaleTimeString()} trace ${file.fsPath}`);
    panel.busy(true, `Tracing ${name}…`);
    const started = Date.now();

    let promise: Promise<Trace>;
    try {
      promise = this.getRunner().trace(file.fsPath, traceOptions).catch((e: unknown) => failure(file.fsPath, e));
    } catch (e) {
      promise = Promise.resolve(failure(file.fsPath, e));
    }
    const running: Running = { file: file.toString(), promise, cancelled: false };
    this.current = running;
    const trace = await withDelayedProgress(name, promise, () => this.cancel());
    if (this.current === running) this.current = undefined;
    if (running.cancelled && trace.error && trace.error.type !== 'CancelledError') {
      // The interrupt can land in the runtime's own code and come back as another error: the
      // user asked to stop, so it is a cancel (the original goes to the output channel).
      this.output.appendLine(`(stopped with ${trace.error.type}: ${trace.error.message})`);
      trace.error = { type: 'CancelledError', message: 'the trace was cancelled', line: trace.error.line };
    }
    const ms = Date.now() - started;

    await this.reporter.report(file, trace, ms);
    Object.assign(this.lastTimings, { runMs: ms, reportMs: Date.now() - started - ms, showMs: 0 });
    if (running.superseded || !this.panels.has(file.toString())) return trace; // a newer trace took over, or the panel closed
    panel.busy(false);
    if (trace.error?.type === 'CancelledError') {
      // Keep the previous graph: a cancelled run has nothing better to show.
      panel.error(`Cancelled: ${name} was stopped before it finished.`);
      return trace;
    }
    // The webview shows trace.error itself, with a link to its line. A hidden panel gets the
    // trace when it is shown again: no need to wait for that.
    const shown = Date.now();
    const delivery = panel.showTrace(trace);
    if (panel.panel.visible) await delivery;
    this.lastTimings.showMs = Date.now() - shown;
    const line = options.fromLine ?? this.cursorLine(file);
    if (line) panel.highlightLine(line);
    return trace;
  }

  /** Stops the running trace, if any (the progress notification's Cancel does the same). */
  cancel(): void {
    if (!this.current || this.current.cancelled) return;
    this.current.cancelled = true;
    this.output.appendLine('Cancelling…');
    this.runner?.cancel();
  }

  private async cancelAndWait(): Promise<void> {
    const running = this.current;
    if (!running) return;
    running.superseded = true;
    this.cancel();
    await running.promise;
    // Let `trace()` that owned it finish its bookkeeping.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private getRunner(): ReturnType<RunnerFactory> {
    if (!this.runner) {
      this.runner = this.createRunner({
        onReady: (ms) => {
          this.lastTimings.runtimeReadyMs = ms;
          this.output.appendLine(`Runtime ready (Pyodide + torch shim) in ${Math.round(ms)} ms`);
        },
      });
    }
    return this.runner;
  }

  private async mayRun(file: vscode.Uri): Promise<boolean> {
    if (vscode.workspace.isTrusted || this.allowedUntrusted.has(file.toString())) return true;
    const run = 'Run';
    const answer = await vscode.window.showWarningMessage(
      `This workspace is not trusted. Trace Backward runs ${path.basename(file.fsPath)} as Python (in Pyodide, with its folder mounted). Run it? Gradlens asks again for other files and after a restart.`,
      { modal: true },
      run,
    );
    if (answer !== run) return false;
    this.allowedUntrusted.add(file.toString());
    return true;
  }

  private async saveIfDirty(file: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    if (!doc?.isDirty) return;
    this.savingForTrace.add(file.toString());
    try {
      await doc.save();
    } finally {
      this.savingForTrace.delete(file.toString());
    }
  }

  // ── panels ─────────────────────────────────────────────────────────────────────────────────

  private showPanel(file: vscode.Uri, reveal: boolean): GraphPanel {
    const existing = this.panels.get(file.toString());
    if (existing) {
      if (reveal && !existing.panel.visible) existing.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside);
      return existing;
    }
    const panel = GraphPanel.create(this.context.extensionUri, file, this, vscode.ViewColumn.Beside);
    this.adopt(panel);
    return panel;
  }

  private adopt(panel: GraphPanel): void {
    this.panels.set(panel.file.toString(), panel);
    void this.rememberPanels();
  }

  private async revive(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const file = this.fileForRevivedPanel(webviewPanel, state);
    if (!file) {
      this.output.appendLine(`Could not restore the panel "${webviewPanel.title}": its model file is unknown.`);
      webviewPanel.dispose();
      return;
    }
    this.output.appendLine(`Restoring the graph of ${file.fsPath}`);
    const panel = GraphPanel.revive(webviewPanel, this.context.extensionUri, file, this);
    this.adopt(panel);
    // The webview restores its view (pan, zoom, selection) from its own state; the data comes
    // from a fresh run, only where running the file needs no question.
    const stopped = this.reporter.wasStopped(file);
    if (!vscode.workspace.isTrusted) panel.error('Workspace not trusted: press Re-trace to run the file again.');
    else if (stopped) panel.error('The last run of this file was stopped: press Re-trace to run it again.');
    else void this.trace(file, { reveal: false });
  }

  private fileForRevivedPanel(webviewPanel: vscode.WebviewPanel, state: unknown): vscode.Uri | undefined {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Record<string, unknown>;
    const remembered = this.context.workspaceState.get<string[]>(OPEN_PANELS_KEY, []).filter((u) => !this.panels.has(u));
    // The webview's state names the traced file (absolute, or as the trace wrote it).
    if (typeof s.file === 'string' && s.file) {
      if (path.isAbsolute(s.file)) return vscode.Uri.file(s.file);
      const match = remembered.find((u) => vscode.Uri.parse(u).fsPath.endsWith(path.sep + s.file));
      if (match) return vscode.Uri.parse(match);
    }
    // Otherwise the panels open at the last shutdown, matched by title.
    const match = remembered.find((u) => `Gradlens: ${path.basename(vscode.Uri.parse(u).fsPath)}` === webviewPanel.title);
    return match ? vscode.Uri.parse(match) : undefined;
  }

  private rememberPanels(): Thenable<void> {
    return this.context.workspaceState.update(OPEN_PANELS_KEY, [...this.panels.keys()]);
  }

  /** The model file of the graph panel in front, if one is (commands run from the panel). */
  activePanelFile(): vscode.Uri | undefined {
    return [...this.panels.values()].find((p) => p.panel.active)?.file;
  }

  closed(panel: GraphPanel): void {
    // Nobody will look at the result: stop the run.
    if (this.current?.file === panel.file.toString()) this.cancel();
    if (this.panels.get(panel.file.toString()) === panel) {
      this.panels.delete(panel.file.toString());
      void this.rememberPanels();
    }
  }

  fullTrace(panel: GraphPanel, shown: Trace): Promise<Trace | { unavailable: string }> {
    let full = this.fullTraces.get(shown);
    if (!full) {
      full = this.runFull(panel, shown);
      this.fullTraces.set(shown, full);
      void full.then((r) => {
        if ('unavailable' in r) this.fullTraces.delete(shown); // not cached: the next request tries again
      });
    }
    return full;
  }

  private async runFull(panel: GraphPanel, shown: Trace): Promise<Trace | { unavailable: string }> {
    const numbers = shown.nodes.reduce((sum, n) => sum + n.shape.reduce((a, b) => a * b, 1) * (n.userGrad ? 3 : 2), 0);
    if (numbers > FULL_TRACE_LIMIT) {
      return { unavailable: `this run holds ${(numbers / 1e6).toFixed(0)}M numbers: too many to load them all; the summaries and pictures show them downsampled` };
    }
    if (this.current) return { unavailable: 'a trace is running: try again when it is done' };
    const config = vscode.workspace.getConfiguration('gradlens', panel.file);
    this.output.appendLine(`Loading every value of ${path.basename(panel.file.fsPath)} (running it again with full data)…`);
    const trace = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Gradlens: loading values' }, () =>
      this.getRunner().trace(panel.file.fsPath, {
        full: true,
        timeoutMs: Math.max(1, config.get<number>('timeoutSeconds', 60)) * 1000,
        memoryLimitMB: config.get<number>('memoryLimitMB', 2048),
        maxNodes: config.get<number>('maxNodes', 5000),
      }).catch((e: unknown) => failure(panel.file.fsPath, e)));
    if (trace.error) return { unavailable: `running the file again failed: ${trace.error.type}: ${trace.error.message}` };
    if (trace.nodes.length !== shown.nodes.length) return { unavailable: 'the file changed since the trace: re-trace to load its values' };
    return trace;
  }

  retrace(panel: GraphPanel): void {
    void this.trace(panel.file, { reveal: false });
  }

  async goToSource(panel: GraphPanel, line: number, column: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(panel.file);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === panel.file.toString());
    const column0 = visible?.viewColumn ?? otherColumn(panel.panel.viewColumn);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column0, preserveFocus: false });
    const lineIndex = Math.min(Math.max(line, 1), doc.lineCount) - 1;
    const position = new vscode.Position(lineIndex, Math.max(0, column - 1));
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  // ── editor ↔ graph ─────────────────────────────────────────────────────────────────────────

  private cursorLine(file: vscode.Uri): number | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor?.document.uri.toString() === file.toString() ? editor.selection.active.line + 1 : undefined;
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const panel = this.panels.get(e.textEditor.document.uri.toString());
    if (!panel) return;
    const line = e.selections[0].active.line + 1;
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => panel.highlightLine(line), 40);
  }

  private onSave(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.panels.has(key) || this.savingForTrace.has(key)) return;
    if (!vscode.workspace.getConfiguration('gradlens', doc.uri).get<boolean>('traceOnSave', false)) return;
    if (!vscode.workspace.isTrusted && !this.allowedUntrusted.has(key)) return;
    void this.trace(doc.uri, { reveal: false });
  }

  dispose(): void {
    clearTimeout(this.highlightTimer);
    this.warmer.dispose();
    for (const panel of [...this.panels.values()]) panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.runner?.dispose();
    this.runner = undefined;
  }
}

function failure(file: string, e: unknown): Trace {
  const message = e instanceof Error ? e.message : String(e);
  return {
    format: 'gradlens-trace', version: 1, file, root: null, nodes: [], ops: {}, losses: [], output: '',
    error: { type: 'InternalError', message: `the runtime failed: ${message}`, line: null },
  };
}

function otherColumn(panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}
