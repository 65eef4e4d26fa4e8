// Activation (onLanguage:python and the commands): register commands, CodeLens and the panel
// serializer. Nothing heavy happens here: the runtime worker starts when a model file is shown
// (a moment later, off the extension host thread) or on the first trace.
import * as vscode from 'vscode';
import type { TraceRunner } from './runtime/api';
import { TraceCodeLensProvider } from './panel/codeLens';
import { Gradlens, type GradlensApi } from './panel/controller';

export function activate(context: vscode.ExtensionContext): GradlensApi {
  const gradlens = new Gradlens(context, createRunner);
  context.subscriptions.push(
    gradlens,
    vscode.commands.registerCommand('gradlens.traceBackward', (uri?: unknown, line?: unknown) => {
      const file = targetFile(uri);
      if (!file) return undefined;
      return gradlens.trace(file, { fromLine: typeof line === 'number' ? line : undefined });
    }),
    vscode.commands.registerCommand('gradlens.traceFromLine', (uri?: unknown, line?: unknown) => {
      const file = targetFile(uri);
      if (!file) return undefined;
      const editor = vscode.window.activeTextEditor;
      const cursor = editor?.document.uri.toString() === file.toString() ? editor.selection.active.line + 1 : undefined;
      return gradlens.trace(file, { fromLine: typeof line === 'number' ? line : cursor });
    }),
    vscode.commands.registerCommand('gradlens.cancelTrace', () => gradlens.cancel()),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new TraceCodeLensProvider()),
  );
  gradlens.warmFor(vscode.window.activeTextEditor?.document);
  return gradlens;
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

/** The file a command acts on: its argument (editor title, explorer, CodeLens) or the active editor. */
function targetFile(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.languageId === 'python') return doc.uri;
  void vscode.window.showInformationMessage('Gradlens: open a Python model file to trace.');
  return undefined;
}

/** The runtime is bundled in; required lazily so activation stays light until the first trace. */
function createRunner(hooks: { onReady: (ms: number) => void }): TraceRunner & { warm?: () => Promise<void> } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = require('./runtime/runner') as { createTraceRunner: (o: typeof hooks) => TraceRunner & { warm?: () => Promise<void> } };
    return runtime.createTraceRunner(hooks);
  } catch (e) {
    throw new Error(`the Gradlens runtime is missing from this build (${e instanceof Error ? e.message : e})`);
  }
}
