// The e2e's reference for "a new panel": the smallest webview an extension can open (a status bar
// item → a panel whose only script stamps Date.now()). test/e2e/browser.mjs times it exactly as
// it times Gradlens' new panel, so the click → graph row has VS Code's own floor beside it.
const vscode = require('vscode');

module.exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 1000);
  item.text = 'Webview floor';
  item.command = 'webviewFloor.open';
  item.show();
  context.subscriptions.push(item, vscode.commands.registerCommand('webviewFloor.open', () => {
    const panel = vscode.window.createWebviewPanel('webviewFloor', 'Webview floor', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
    panel.webview.html = '<!DOCTYPE html><html><body><p id="floor">empty</p>'
      + '<script>document.getElementById("floor").dataset.at = String(Date.now());</script></body></html>';
  }));
};
