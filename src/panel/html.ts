// The panel's page, set once per panel: the webview's template (src/shared/html.ts) with the
// bundle from dist/webview by webview URI and a fresh nonce from crypto.
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { renderPanelHtml as template } from '../shared/html';

export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, file: vscode.Uri): string {
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  return template({
    nonce: crypto.randomBytes(16).toString('hex'),
    cspSource: webview.cspSource,
    scriptUri: asset('main.js'),
    styleUri: asset('main.css'),
    title: `Gradlens — ${path.basename(file.fsPath)}`,
  });
}
