// Activation (onLanguage:python and the commands): register commands, CodeLens and the panel
// serializer. Nothing heavy happens here: the runtime worker starts when a model file is shown
// (a moment later, off the extension host thread) or on the first trace.
import * as vscode from 'vscode';
import { createTraceRunner } from './runtime/runner';
import { TraceCodeLensProvider } from './panel/codeLens';
import { Gradlens, type GradlensApi } from './panel/controller';

export function activate(context: vscode.ExtensionContext): GradlensApi {
  const gradlens = new Gradlens(context, (hooks) => createTraceRunner(hooks));
  context.subscriptions.push(
    gradlens,
    vscode.commands.registerCommand('gradlens.traceBackward', (uri?: unknown, line?: unknown) => {
      const file = targetFile(uri) ?? gradlens.activePanelFile();
      if (!file) return nothingToTrace();
      return gradlens.trace(file, { fromLine: typeof line === 'number' ? line : undefined });
    }),
    vscode.commands.registerCommand('gradlens.traceFromLine', (uri?: unknown, line?: unknown) => {
      const file = targetFile(uri);
      if (!file) return nothingToTrace();
      const editor = vscode.window.activeTextEditor;
      const cursor = editor?.document.uri.toString() === file.toString() ? editor.selection.active.line + 1 : undefined;
      return gradlens.trace(file, { fromLine: typeof line === 'number' ? line : cursor });
    }),
    vscode.commands.registerCommand('gradlens.cancelTrace', () => gradlens.cancel()),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new TraceCodeLensProvider()),
  );
  gradlens.warmer.forDocument(vscode.window.activeTextEditor?.document);
  void gradlens.warmer.forWorkspace();
  return gradlens;
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

/** The file a command acts on: its argument (editor title, explorer, CodeLens) or the active Python editor. */
function targetFile(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === 'python' ? doc.uri : undefined;
}

function nothingToTrace(): undefined {
  void vscode.window.showInformationMessage('Gradlens: open a Python model file to trace.');
  return undefined;
}
