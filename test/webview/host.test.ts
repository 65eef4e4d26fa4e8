// Inside VS Code: a stand-in acquireVsCodeApi records what the page posts, and host messages
// arrive by window.postMessage — the ready handshake, trace, highlightLine, goToSource, pictures, slices.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { renderStandaloneHtml } from '../../src/shared/html';
import { withoutImages } from '../../src/shared/protocol';
import { launch, loadTrace, webviewBundle, openHtml, waitForGraph } from './browser';

const FAKE_VSCODE = `
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => {
      window.__posted.push(m);
      if (m.type === 'requestSlice') setTimeout(() => window.postMessage({ type: 'sliceReply', requestId: m.requestId,
        summary: { min: 0, max: 1, mean: 0.5, std: 0.5, data: Array.from({ length: 320 }, (_, i) => i % 2) } }, '*'), 10);
      if (m.type === 'requestImages') setTimeout(() => window.postMessage({ type: 'imagesReply', requestId: m.requestId,
        images: { value: { rows: 2, cols: 2, data: [0, 1, 1, 0] } } }, '*'), 10);
    },
    getState: () => window.__state, setState: (s) => { window.__state = s; },
  });`;

describe('graph webview inside VS Code (fake host)', () => {
  let browser: Browser;
  let page: Page;
  const trace = loadTrace('lesson13');
  const posted = () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);

  before(async () => {
    browser = await launch();
    const bundle = await webviewBundle();
    const html = renderStandaloneHtml(trace, bundle).replace(/<script type="application\/json" id="gradlens-trace">[\s\S]*?<\/script>/, '');
    ({ page } = await openHtml(browser, html, { init: FAKE_VSCODE, wait: false }));
  });
  after(async () => { await browser?.close(); });

  it('says ready, then draws the trace the host sends', async () => {
    assert.deepEqual((await posted())[0], { type: 'ready' });
    await page.evaluate((t) => window.postMessage({ type: 'trace', trace: t, seq: 7, imagesOnRequest: true }, '*'), withoutImages(trace) as unknown);
    await waitForGraph(page);
    assert.equal(await page.$$eval('.node[data-id]', (e) => e.length), trace.nodes.length);
  });

  it('ignores malformed messages', async () => {
    await page.evaluate(() => window.postMessage({ type: 'trace', trace: { nodes: 'no' } }, '*'));
    await page.evaluate(() => window.postMessage({ type: 'highlightLine', line: -4 }, '*'));
    assert.equal(await page.$$eval('.node[data-id]', (e) => e.length), trace.nodes.length);
  });

  it('highlights the nodes of a line', async () => {
    await page.evaluate(() => window.postMessage({ type: 'highlightLine', line: 18 }, '*'));
    await page.waitForSelector('.node.line-hit');
    const lit = await page.$$eval('.node.line-hit', (e) => e.map((x) => Number((x as HTMLElement).dataset.id)).sort((a, b) => a - b));
    assert.deepEqual(lit, trace.nodes.filter((n) => n.loc?.line === 18).map((n) => n.id).sort((a, b) => a - b));
  });

  it('asks the host to go to source on double-click', async () => {
    const l2 = trace.nodes.find((n) => n.label === 'l2')!;
    await page.dblclick(`.node[data-id="${l2.id}"]`);
    const last = (await posted()).filter((m) => m.type === 'goToSource').pop();
    assert.deepEqual(last, { type: 'goToSource', line: l2.loc!.line, column: l2.loc!.column });
  });

  it('asks for a node\'s pictures when its details open, and draws the heatmap from the reply', async () => {
    const l1 = trace.nodes.find((n) => n.label === 'l1')!;
    await page.click(`.node[data-id="${l1.id}"]`);
    await page.waitForSelector('.details vscode-tab-panel:not([hidden]) canvas.heatmap');
    const req = (await posted()).filter((m) => m.type === 'requestImages').pop();
    assert.deepEqual({ ...req, requestId: 0 }, { type: 'requestImages', requestId: 0, seq: 7, nodeId: l1.id });
  });

  it('loads all values of a big tensor through requestSlice', async () => {
    const l1 = trace.nodes.find((n) => n.label === 'l1')!;
    await page.click(`.node[data-id="${l1.id}"]`);
    await page.click('.details vscode-tab-panel:not([hidden]) button.link:has-text("Load all values")');
    await page.waitForSelector('.details vscode-tab-panel:not([hidden]) .values h4:text("values")');
    const req = (await posted()).find((m) => m.type === 'requestSlice');
    assert.deepEqual({ ...req, requestId: 0 }, { type: 'requestSlice', requestId: 0, seq: 7, nodeId: l1.id, which: 'value' });
  });

  it('sends retrace from the toolbar', async () => {
    await page.click('.toolbar [data-action="retrace"]');
    assert.ok((await posted()).some((m) => m.type === 'retrace'));
  });
});
