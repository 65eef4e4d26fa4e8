// "Trace Backward" above each `.backward()` call and above the line that assigns the loss.
import * as vscode from 'vscode';

const BACKWARD = /\.backward\s*\(/;
/** `loss = …`, `loss: Tensor = …`, `self.loss = …`, `loss, acc = …` — but not `loss == …` or `loss += …`. */
const ASSIGNS_LOSS = /^\s*(?:[\w.]+\s*,\s*)*(?:self\.)?loss\b(?:\s*,\s*[\w.]+)*\s*(?::[^=]+)?=(?!=)/;

export class TraceCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (let i = 0; i < document.lineCount; i++) {
      const text = document.lineAt(i).text;
      const code = stripComment(text);
      if (!BACKWARD.test(code) && !ASSIGNS_LOSS.test(code)) continue;
      const range = new vscode.Range(i, 0, i, text.length);
      lenses.push(new vscode.CodeLens(range, {
        title: '$(debug-step-back) Trace Backward',
        tooltip: 'Run this file with Gradlens and draw the backward pass',
        command: 'gradlens.traceBackward',
        arguments: [document.uri, i + 1],
      }));
    }
    return lenses;
  }
}

function stripComment(line: string): string {
  // Good enough for lens placement: a `#` outside quotes starts a comment.
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}
