// The panel's page, set once per panel: strict CSP (nothing remote, scripts only by nonce), the
// webview bundle from dist/webview, theme colours through --vscode-* variables.
import * as vscode from 'vscode';

export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string, file: vscode.Uri): string {
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}' ${webview.cspSource}`,
    `worker-src ${webview.cspSource} blob:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="gradlens-file" content="${escapeAttr(file.toString())}">
<link rel="stylesheet" href="${asset('main.css')}">
<title>Gradlens</title>
</head>
<body>
<div id="app" data-file="${escapeAttr(file.toString())}"></div>
<script nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
