// Entry point of the webview bundle: styles, the few vscode-elements we use, and the boot:
// in VS Code wait for the host's `trace` after `ready`; standalone, read the inlined trace.
import '@vscode/codicons/dist/codicon.css';
import '../media/webview.css';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { App } from './app';
import { Host } from './host';

function boot(): void {
  performance.mark('gradlens:boot');
  const root = document.getElementById('gradlens') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('app');
  const host = new Host();
  const app = new App(host, root);
  (window as unknown as { gradlens: App }).gradlens = app;
  const t0 = performance.now();
  const inline = host.inlineTrace();
  (window as unknown as { gradlensParseMs: number }).gradlensParseMs = performance.now() - t0;
  if (inline) void app.showTrace(inline);
  else if (host.standalone) app.setStatus('No trace in this page.');
  else app.setStatus('Waiting for a trace…');
  host.post({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
