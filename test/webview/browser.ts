// Headless Chromium for the webview tests and the benchmark: the standalone HTML of a trace,
// served from memory at http://gradlens.test/ (so the blob-URL layout worker runs as in VS Code).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderStandaloneHtml, type WebviewBundle } from '../../src/shared/html';
import type { Trace } from '../../src/shared/trace';

export const ROOT = join(__dirname, '..', '..');
export const OUTPUT = join(ROOT, 'test-output', 'webview');

let bundle: Promise<WebviewBundle> | null = null;

export function webviewBundle(): Promise<WebviewBundle> {
  bundle ??= (async () => {
    const outdir = join(OUTPUT, 'bundle');
    const { buildWebview } = (await import(join(ROOT, 'webview', 'build.mjs'))) as { buildWebview: (o: { outdir: string; minify: boolean }) => Promise<void> };
    await buildWebview({ outdir, minify: true });
    return { js: readFileSync(join(outdir, 'main.js'), 'utf8'), css: readFileSync(join(outdir, 'main.css'), 'utf8') };
  })();
  return bundle;
}

export const CLI = join(ROOT, 'dist', 'cli.js');

/** Traces examples/NAME.py with the real CLI (`node esbuild.js` first) into test-output/webview/examples. */
export function traceExample(name: string): Trace {
  const dir = join(OUTPUT, 'examples');
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  try {
    execFileSync(process.execPath, [CLI, 'trace', join(ROOT, 'examples', `${name}.py`), '--json', json], { stdio: 'pipe', timeout: 170_000 });
  } catch (e) {
    if (!existsSync(json)) throw e; // exit 1 = the model failed; the trace still shows it
  }
  return JSON.parse(readFileSync(json, 'utf8')) as Trace;
}

export function loadTrace(name: string): Trace {
  return JSON.parse(readFileSync(join(__dirname, 'traces', `${name}.json`), 'utf8')) as Trace;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage { page: Page; problems: string[]; html: string }

/** Writes the page to test-output/webview/NAME.html and opens it; `problems` collects console errors and CSP violations. */
export async function openTrace(browser: Browser, name: string, trace: Trace, options: { width?: number; height?: number; init?: string } = {}): Promise<OpenedPage> {
  const html = renderStandaloneHtml(trace, await webviewBundle());
  mkdirSync(OUTPUT, { recursive: true });
  writeFileSync(join(OUTPUT, `${name}.html`), html);
  return openHtml(browser, html, options);
}

export async function openHtml(browser: Browser, html: string, options: { width?: number; height?: number; init?: string; wait?: boolean } = {}): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 860 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.route('http://gradlens.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  await page.route((url) => !url.href.startsWith('http://gradlens.test/') && !url.href.startsWith('blob:') && !url.href.startsWith('data:'), (route) => {
    problems.push(`remote request: ${route.request().url()}`);
    return route.abort();
  });
  if (options.init) await page.addInitScript(options.init);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto('http://gradlens.test/index.html');
  if (options.wait !== false) await waitForGraph(page);
  return { page, problems, html };
}

export async function waitForGraph(page: Page, since = 0): Promise<void> {
  await page.waitForFunction((t) => Number(document.querySelector<HTMLElement>('.frame')?.dataset.ready ?? 0) > t, since, { timeout: 30000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
