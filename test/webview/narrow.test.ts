// The narrow panel VS Code gives us beside the editor (600×800): legible nodes instead of a fitted
// speck, the details as a drawer under the graph, the hover card inside the view; the panel's
// own HTML (codicon stylesheet linked) with vscode-elements toolbar buttons; the README picture.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderPanelHtml } from '../../src/shared/html';
import type { Trace } from '../../src/shared/trace';
import { CLI, launch, openTrace, ROOT, screenshot, traceExample, waitForGraph, webviewBundle } from './browser';

const NARROW = { width: 600, height: 800 };

/** The smallest on-screen text size (font size × zoom) over the nodes at least partly in the frame. */
async function smallestNodeText(page: Page): Promise<{ px: number; nodes: number }> {
  return page.evaluate(() => {
    const k = (window as unknown as { gradlens: { viewport: { k: number } } }).gradlens.viewport.k;
    const frame = document.querySelector('.frame')!.getBoundingClientRect();
    let px = Infinity, nodes = 0;
    for (const node of document.querySelectorAll<HTMLElement>('.node')) {
      const r = node.getBoundingClientRect();
      if (r.right <= frame.left || r.left >= frame.right || r.bottom <= frame.top || r.top >= frame.bottom) continue;
      nodes++;
      for (const el of [node, ...node.querySelectorAll<HTMLElement>('*')]) {
        const hasText = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim());
        if (hasText && el.getClientRects().length) px = Math.min(px, parseFloat(getComputedStyle(el).fontSize) * k);
      }
    }
    return { px, nodes };
  });
}

async function box(page: Page, selector: string) {
  const b = await page.locator(selector).boundingBox();
  assert.ok(b, `${selector} is shown`);
  return b;
}

function inside(b: { x: number; y: number; width: number; height: number }, area: { x: number; y: number; width: number; height: number }): boolean {
  return b.x >= area.x - 0.5 && b.y >= area.y - 0.5 && b.x + b.width <= area.x + area.width + 0.5 && b.y + b.height <= area.y + area.height + 0.5;
}

describe('narrow panel (600×800, lesson 13 MLP from the CLI)', function () {
  this.timeout(240_000);
  let browser: Browser;
  let trace: Trace;
  let matmulW1: Trace['nodes'][number];

  before(async function () {
    if (!existsSync(CLI)) this.skip();
    trace = traceExample('lesson13_mlp');
    const w1 = trace.nodes.find((n) => n.names.includes('w1'))!;
    matmulW1 = trace.nodes.find((n) => n.op === 'matmul' && n.inputs.includes(w1.id))!;
    browser = await launch();
  });
  after(async () => { await browser?.close(); });

  describe('standalone HTML', () => {
    let page: Page;
    let problems: string[];
    before(async () => { ({ page, problems } = await openTrace(browser, 'narrow-lesson13', trace, NARROW)); });
    after(async () => { await page?.close(); });

    it('opens with a compact toolbar, the graph the full width and the details drawer closed', async () => {
      assert.equal(await page.$eval('.app', (e) => e.classList.contains('narrow')), true);
      const toolbar = await box(page, '.toolbar');
      assert.ok(toolbar.height <= 40, `toolbar ${toolbar.height}px tall`);
      assert.equal(await page.$eval('.toolbar', (e) => e.scrollWidth <= e.clientWidth), true, 'toolbar does not overflow');
      const frame = await box(page, '.frame');
      assert.equal(Math.round(frame.width), NARROW.width);
      assert.ok(frame.height > 700, `graph ${frame.height}px tall`);
      assert.equal(await page.isVisible('.details'), false);
      assert.equal(await page.getAttribute('.drawer-handle', 'aria-expanded'), 'false');
      assert.match(await page.innerText('.drawer-handle'), /Run\s+17 nodes · loss = 3773\.2/);
      await page.mouse.move(2, 400);
      await screenshot(page, 'narrow-initial');
    });

    it('node text stays legible (font size × zoom ≥ 9 px), after load and after Fit', async () => {
      for (const when of ['load', 'fit']) {
        if (when === 'fit') await page.click('.toolbar [data-action="fit"]');
        const { px, nodes } = await smallestNodeText(page);
        assert.ok(nodes >= 4, `${nodes} nodes in view after ${when}`);
        assert.ok(px >= 9, `smallest node text ${px.toFixed(2)} px after ${when}`);
      }
      // The graph starts at its inputs: the first leaf is in view.
      const xTrain = trace.nodes.find((n) => n.names.includes('x_train'))!;
      assert.ok(inside(await box(page, `.node[data-id="${xTrain.id}"]`), await box(page, '.frame')), 'x_train in view');
    });

    it('the root is one click away when it is out of view', async () => {
      const root = `.node[data-id="${trace.root}"]`;
      const frame = await box(page, '.frame');
      const visible = await page.locator(root).boundingBox().then((b) => !!b && inside(b, frame));
      if (!visible) {
        assert.match(await page.innerText('.jump-root'), /loss/);
        await page.click('.jump-root');
        await page.waitForSelector('.jump-root', { state: 'hidden' });
      }
      assert.ok(inside(await box(page, root), frame), 'loss node in view');
      await page.mouse.move(2, 400);
      await screenshot(page, 'narrow-root');
      await page.click('.toolbar [data-action="fit"]');
    });

    it('scrolling the wheel pans the graph instead of zooming', async () => {
      const k0 = await page.evaluate(() => (window as unknown as { gradlens: { viewport: { k: number; y: number } } }).gradlens.viewport.k);
      const y0 = await page.evaluate(() => (window as unknown as { gradlens: { viewport: { y: number } } }).gradlens.viewport.y);
      await page.mouse.move(300, 400);
      await page.mouse.wheel(0, 200);
      await page.waitForFunction((y) => (window as unknown as { gradlens: { viewport: { y: number } } }).gradlens.viewport.y < y, y0);
      assert.equal(await page.evaluate(() => (window as unknown as { gradlens: { viewport: { k: number } } }).gradlens.viewport.k), k0);
      await page.click('.toolbar [data-action="fit"]');
    });

    it('hovering the `x_train @ w1` matmul shows the whole Jacobian card inside the viewport', async () => {
      const node = `.node[data-id="${matmulW1.id}"]`;
      await page.hover(node);
      await page.waitForSelector('.hovercard:not([hidden])');
      const text = await page.innerText('.hovercard');
      assert.match(text, /\(256,50\) × \(256,784\)/);
      assert.match(text, /x_train\.g = \(x_train @ w1\)\.g @ w1\.T/);
      assert.match(text, /\(784,256\) @ \(256,50\) → \(784,50\)/);
      const card = await box(page, '.hovercard');
      assert.ok(inside(card, { x: 0, y: 0, ...NARROW }), `card ${JSON.stringify(card)} inside 600×800`);
      const n = await box(page, node);
      const overlap = Math.max(0, Math.min(card.x + card.width, n.x + n.width) - Math.max(card.x, n.x)) * Math.max(0, Math.min(card.y + card.height, n.y + n.height) - Math.max(card.y, n.y));
      assert.ok(overlap < 0.25 * n.width * n.height, 'the card leaves the hovered node visible');
      await screenshot(page, 'narrow-hover');
    });

    it('a click opens the details drawer over the bottom of the graph; the handle and Escape close it', async () => {
      const node = `.node[data-id="${matmulW1.id}"]`;
      await page.click(node);
      await page.waitForSelector('.details', { state: 'visible' });
      assert.equal(await page.getAttribute('.drawer-handle', 'aria-expanded'), 'true');
      assert.match(await page.innerText('.drawer-handle'), /matmul\s+x_train @ w1\s+\(256,50\)/);
      assert.match(await page.innerText('.details'), /12,800 elements/);
      const drawer = await box(page, '.drawer');
      assert.ok(drawer.height > 300 && drawer.y + drawer.height <= NARROW.height + 0.5, `drawer ${JSON.stringify(drawer)}`);
      assert.ok(inside(await box(page, node), await box(page, '.frame')), 'the selected node stays in view above the drawer');
      assert.ok(await page.$$eval('.details canvas.heatmap', (e) => e.length) >= 1);
      await page.mouse.move(2, 120);
      await screenshot(page, 'narrow-drawer');
      await page.click('.drawer-handle');
      await page.waitForSelector('.details', { state: 'hidden' });
      assert.ok((await box(page, '.frame')).height > 700);
      await page.click('.drawer-handle');
      await page.waitForSelector('.details', { state: 'visible' });
      await page.focus(node);
      await page.keyboard.press('Escape');
      await page.waitForSelector('.details', { state: 'hidden' });
      assert.match(await page.innerText('.drawer-handle'), /Run/);
    });

    it('a wide window keeps the details column on the right', async () => {
      await page.setViewportSize({ width: 1400, height: 860 });
      await page.waitForFunction(() => !document.querySelector('.app')!.classList.contains('narrow'));
      const details = await box(page, '.details');
      assert.ok(details.x > 1000 && details.height > 700, JSON.stringify(details));
      assert.equal(await page.isVisible('.drawer-handle'), false);
      await page.setViewportSize(NARROW);
      await page.waitForFunction(() => document.querySelector('.app')!.classList.contains('narrow'));
    });

    it('dark theme, drawer open (screenshot)', async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.click(`.node[data-id="${trace.root}"]`).catch(async () => {
        await page.click('.jump-root');
        await page.click(`.node[data-id="${trace.root}"]`);
      });
      await page.waitForSelector('.details', { state: 'visible' });
      await page.mouse.move(2, 120);
      await screenshot(page, 'narrow-dark');
      await page.emulateMedia({ colorScheme: 'light' });
    });

    it('no console errors, CSP violations or remote requests', () => assert.deepEqual(problems, []));
  });

  it('inside the panel HTML, the toolbar uses vscode-elements buttons with codicons', async () => {
    const bundle = await webviewBundle();
    const html = renderPanelHtml({ nonce: 'n0nce', cspSource: 'http://gradlens.test', scriptUri: 'http://gradlens.test/main.js', styleUri: 'http://gradlens.test/main.css' });
    const page = await browser.newPage({ viewport: NARROW });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || /vscode-codicon-stylesheet/.test(m.text())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.route('http://gradlens.test/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/main.js') return route.fulfill({ contentType: 'text/javascript', body: bundle.js });
      if (path === '/main.css') return route.fulfill({ contentType: 'text/css', body: bundle.css });
      return route.fulfill({ contentType: 'text/html', body: html });
    });
    await page.addInitScript('window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });');
    await page.goto('http://gradlens.test/index.html');
    await page.waitForSelector('vscode-toolbar-button[data-action="fit"]');
    await page.evaluate((t) => window.postMessage({ type: 'trace', trace: t }, '*'), trace as unknown);
    await waitForGraph(page);
    const glyph = await page.$eval('vscode-toolbar-button[data-action="zoom-in"]', (b) => {
      const span = b.shadowRoot!.querySelector('vscode-icon')!.shadowRoot!.querySelector('.codicon')!;
      const s = getComputedStyle(span, '::before');
      return { font: s.fontFamily, content: s.content };
    });
    assert.match(glyph.font, /codicon/);
    assert.notEqual(glyph.content, 'none');
    assert.equal(await page.$$eval('vscode-toolbar-button', (e) => e.length), 6, 'fit, zoom ×2, collapse, expand, trace again');
    const t = Date.now();
    await page.click('vscode-toolbar-button[data-action="collapse"]');
    await waitForGraph(page, t);
    assert.equal(await page.$$eval('.group-node', (e) => e.length), 1);
    const t2 = Date.now();
    await page.click('vscode-toolbar-button[data-action="expand"]');
    await waitForGraph(page, t2);
    const { px } = await smallestNodeText(page);
    assert.ok(px >= 9);
    await page.mouse.move(2, 400);
    await screenshot(page, 'narrow-panel');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('README screenshot: 1400×860, hover card on `x_train @ w1` (docs/screenshot.png)', async () => {
    const { page, problems } = await openTrace(browser, 'readme-lesson13', trace, { width: 1400, height: 860 });
    await page.click(`.node[data-id="${matmulW1.id}"]`); // the details column shows its heatmap and histogram
    await page.hover(`.node[data-id="${matmulW1.id}"]`);
    await page.waitForSelector('.hovercard:not([hidden])');
    assert.ok(inside(await box(page, '.hovercard'), { x: 0, y: 0, width: 1400, height: 860 }));
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshot.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
