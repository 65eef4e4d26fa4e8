// What a finished trace leaves outside the panel: a line in the output channel, its error as a
// diagnostic on the model file, and whether the run was stopped (a reload does not rerun it).
import * as path from 'path';
import * as vscode from 'vscode';
import type { Trace } from '../shared/trace';

/** Files whose last run was cancelled or timed out: a reload does not start them again by itself. */
const STOPPED_KEY = 'gradlens.stoppedFiles';

export class TraceReporter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('gradlens');
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      this.diagnostics,
      vscode.workspace.onDidChangeTextDocument((e) => {
        // The error line may have moved: a stale diagnostic is worse than none.
        if (e.contentChanges.length && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
      }),
    );
  }

  /** The last run of `file` was cancelled or timed out. */
  wasStopped(file: vscode.Uri): boolean {
    return this.workspaceState.get<string[]>(STOPPED_KEY, []).includes(file.toString());
  }

  async report(file: vscode.Uri, trace: Trace, ms: number): Promise<void> {
    const name = path.basename(file.fsPath);
    const stoppedType = trace.error?.type === 'CancelledError' || trace.error?.type === 'TimeoutError';
    const stopped = new Set(this.workspaceState.get<string[]>(STOPPED_KEY, []));
    if (stoppedType !== stopped.has(file.toString())) {
      if (stoppedType) stopped.add(file.toString());
      else stopped.delete(file.toString());
      void this.workspaceState.update(STOPPED_KEY, [...stopped]);
    }
    const error = trace.error;
    if (!error) {
      this.diagnostics.delete(file);
      const truncated = trace.truncated ? ` (${trace.truncated} more not shown)` : '';
      const run = trace.timing ? ` (Python ran ${Math.round(trace.timing.runMs)} ms)` : '';
      this.output.appendLine(`✓ ${name}: ${trace.nodes.length} nodes${truncated} in ${ms} ms${run}`);
      return;
    }
    this.output.appendLine(`✗ ${describeError(trace, name)}`);
    if (error.traceback) this.output.appendLine(error.traceback);
    if (error.type === 'CancelledError' || !error.line) {
      // A cancel is no fault of the file; an error with no line is in the panel and the output.
      this.diagnostics.delete(file);
      return;
    }
    await this.setDiagnostic(file, trace);
  }

  private async setDiagnostic(file: vscode.Uri, trace: Trace): Promise<void> {
    const error = trace.error!;
    let range = new vscode.Range(0, 0, 0, 0);
    if (error.line && error.line >= 1) {
      const doc = await vscode.workspace.openTextDocument(file);
      const line = doc.lineAt(Math.min(error.line, doc.lineCount) - 1);
      const start = error.column && error.column >= 1 ? error.column - 1 : line.firstNonWhitespaceCharacterIndex;
      range = new vscode.Range(line.lineNumber, Math.min(start, line.text.length), line.lineNumber, line.text.length);
    }
    const diagnostic = new vscode.Diagnostic(range, `${error.type}: ${error.message}`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Gradlens';
    this.diagnostics.set(file, [diagnostic]);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function describeError(trace: Trace, name: string): string {
  const e = trace.error!;
  return `${name}${e.line ? `:${e.line}` : ''}: ${e.type}: ${e.message}`;
}
