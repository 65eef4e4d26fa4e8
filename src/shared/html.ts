// The webview's HTML, in two forms from one template: the standalone page the CLI's --html
// writes (bundle and trace inlined, nothing remote), and the VS Code panel's page (bundle by
// URI, trace by message). Both under a strict CSP: scripts and styles by nonce only.
import type { Trace } from './trace';

export interface WebviewBundle { js: string; css: string }

export interface PanelHtmlOptions {
  nonce: string;
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title?: string;
}

/** 128 random bits as hex, from Web Crypto (present in Node ≥ 20 and in browsers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function escapeText(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** JSON that cannot close its <script> block: every `<` becomes \u003c. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function page(csp: string, title: string, head: string, body: string, bodyClass: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(title)}</title>
${head}
</head>
<body class="${bodyClass}">
<div id="gradlens"></div>
${body}
</body>
</html>
`;
}

/** One self-contained page: open it from disk or mail it; the trace travels inside. */
export function renderStandaloneHtml(trace: Trace, bundle: WebviewBundle, nonce: string = makeNonce()): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'font-src data:',
    'img-src data:',
    'worker-src blob:',
  ].join('; ');
  const css = bundle.css.replace(/<\/style/gi, '<\\/style');
  const js = bundle.js.replace(/<\/script/gi, '<\\/script');
  return page(csp, `Gradlens — ${trace.file}`,
    `<style nonce="${nonce}">${css}</style>`,
    `<script type="application/json" id="gradlens-trace">${inlineJson(trace)}</script>\n<script nonce="${nonce}">${js}</script>`,
    'standalone');
}

/** The VS Code panel's page: the bundle comes from the extension's dist/webview via webview URIs. */
export function renderPanelHtml(o: PanelHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource} data:`,
    `img-src ${o.cspSource} data:`,
    'worker-src blob:',
  ].join('; ');
  return page(csp, o.title ?? 'Gradlens',
    `<link rel="stylesheet" nonce="${o.nonce}" href="${escapeText(o.styleUri)}">`,
    `<script nonce="${o.nonce}" src="${escapeText(o.scriptUri)}"></script>`,
    'panel');
}
