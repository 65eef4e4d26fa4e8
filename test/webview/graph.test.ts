// The graph on the HTML export of realistic traces, in headless Chromium.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Trace } from '../../src/shared/trace';
import { launch, loadTrace, openTrace, screenshot, waitForGraph } from './browser';

function shapeX(s: number[]): string {
  return s.length ? s.join('×') : 'scalar';
}

async function hover(page: Page, selector: string): Promise<string> {
  await page.hover(selector);
  await page.waitForSelector('.hovercard:not([hidden])');
  return page.innerText('.hovercard');
}

describe('graph webview (standalone HTML, headless Chromium)', () => {
  let browser: Browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  describe('lesson 13 MLP', () => {
    let page: Page;
    let problems: string[];
    const trace = loadTrace('lesson13');
    const byName = (n: string) => trace.nodes.find((x) => x.label === n || x.names.includes(n))!;
    const matmulW1 = trace.nodes.find((n) => n.op === 'matmul' && n.inputs.includes(byName('w1').id))!;

    before(async () => { ({ page, problems } = await openTrace(browser, 'lesson13', trace)); });
    after(async () => { await page?.close(); });

    it('draws one element per node, labelled op, name and shape', async () => {
      const labels = await page.$$eval('.node[data-id]', (els) => els.map((e) => [Number((e as HTMLElement).dataset.id), e.getAttribute('aria-label')] as const));
      assert.equal(labels.length, trace.nodes.length);
      const got = new Map(labels);
      assert.equal(got.get(matmulW1.id), 'matmul inp @ w1 32×6');
      assert.equal(got.get(byName('l1').id), 'add l1 32×6');
      assert.equal(got.get(byName('w1').id), 'leaf w1 10×6');
      assert.equal(got.get(trace.root!), 'mse_loss loss scalar');
      for (const n of trace.nodes) assert.ok(got.get(n.id)!.includes(shapeX(n.shape)), `node ${n.id}`);
      assert.equal(await page.$$eval('.node.root', (e) => e.length), 1);
      assert.equal(await page.$$eval('.cluster', (e) => e.length), 3, 'forward_and_backward with two lin calls');
    });

    it('hovering the `inp @ w1` matmul shows the Jacobian and VJP shapes', async () => {
      const card = await hover(page, `.node[data-id="${matmulW1.id}"]`);
      assert.match(card, /\(32,6\) × \(32,10\)/);
      assert.match(card, /\(32,6\) × \(10,6\)/);
      assert.match(card, /inp\.g = \(inp @ w1\)\.g @ w1\.T/);
      assert.match(card, /\(32,6\) @ \(6,10\) → \(32,10\)/);
      assert.match(card, /w1\.g = inp\.T @ \(inp @ w1\)\.g/);
      assert.match(card, /\(10,32\) @ \(32,6\) → \(10,6\)/);
      assert.match(card, /61,440 elements · 240 KiB as float32/);
      await screenshot(page, 'lesson13-hover-matmul');
    });

    it('hovering l1 shows the broadcast reduction for b1', async () => {
      const card = await hover(page, `.node[data-id="${byName('l1').id}"]`);
      assert.match(card, /b1 \(6,\) broadcast over dim 0 → b1\.g = l1\.g\.sum\(0\)/);
    });

    it('marks the wrong hand-written b1.g as a mismatch and the others as matches', async () => {
      const b1 = byName('b1').id;
      assert.equal(await page.$$eval(`.node[data-id="${b1}"] .chip.check.mismatch`, (e) => e.length), 1);
      assert.equal(await page.$$eval('.node .chip.check.match', (e) => e.length), 7);
      await page.click(`.node[data-id="${b1}"]`);
      const details = await page.innerText('.details');
      assert.match(details, /mismatch/);
      assert.match(details, /tolerance rel 1e-4 \/ abs 1e-5/);
      assert.match(details, /Your \.g − grad/);
      await page.mouse.move(5, 300);
      await screenshot(page, 'lesson13');
    });

    it('shows values and gradients of a 2-D node as heatmaps', async () => {
      await page.click(`.node[data-id="${byName('l1').id}"]`);
      assert.equal(await page.$$eval('.details canvas.heatmap', (e) => e.length) >= 1, true);
      assert.ok(await page.$$eval('.details .histogram rect', (e) => e.length) >= 24);
      await page.mouse.move(5, 300);
      await screenshot(page, 'lesson13-details');
    });

    it('keyboard: arrows move focus along edges, Enter opens details', async () => {
      await page.focus(`.node[data-id="${byName('l2').id}"]`);
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'add l1 32×6');
      await page.keyboard.press('Enter');
      assert.match(await page.innerText('.details h2'), /add\s+l1/);
    });

    it('search dims what does not match', async () => {
      await page.fill('.search >> input', 'w1');
      assert.equal(await page.$$eval('.node.search-hit', (e) => e.length), 2); // w1 and inp @ w1
      await page.fill('.search >> input', '');
    });

    it('follows a dark colour scheme (screenshot)', async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.hover(`.node[data-id="${byName('l1').id}"]`);
      await page.waitForSelector('.hovercard:not([hidden])');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(30, 30, 30)');
      await screenshot(page, 'lesson13-dark');
      await page.emulateMedia({ colorScheme: 'light' });
    });

    it('loads without console errors, CSP violations or remote requests', () => {
      assert.deepEqual(problems, []);
    });
  });

  it('classifier: loss curve, int64 dtype, wrong .g shape', async () => {
    const trace = loadTrace('classifier');
    const { page, problems } = await openTrace(browser, 'classifier', trace);
    assert.equal(await page.$$eval('.details .loss-curve circle', (e) => e.length), trace.losses.length);
    assert.equal(await page.$$eval(`.node[data-id="${trace.nodes.find((n) => n.names.includes('y_train'))!.id}"] .chip.dtype`, (e) => e.map((x) => x.textContent)).then((t) => t.join()), 'int64');
    await screenshot(page, 'classifier');
    const h = trace.nodes.find((n) => n.userGradShape)!;
    await page.click(`.node[data-id="${h.id}"]`);
    assert.match(await page.innerText('.details'), /wrong shape: \.g has shape \(50,64\) but the tensor is \(64,50\)/);
    await page.mouse.move(5, 300);
    await screenshot(page, 'classifier-details');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('failing run: error banner with the line', async () => {
    const trace = loadTrace('failing');
    const { page, problems } = await openTrace(browser, 'failing', trace);
    assert.match(await page.innerText('.banner'), /ShapeError: mat1 and mat2 shapes cannot be multiplied \(8x4 and 3x4\) \(line 7\)/);
    assert.equal(await page.$$eval('.node[data-id]', (e) => e.length), trace.nodes.length);
    await screenshot(page, 'failing');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('collapses and opens calls', async () => {
    const trace: Trace = loadTrace('lesson13');
    const { page } = await openTrace(browser, 'lesson13-collapse', trace);
    const before = await page.$$eval('.node', (e) => e.length);
    const t = Date.now();
    await page.click('.toolbar [data-action="collapse"]');
    await waitForGraph(page, t);
    const groups = await page.$$eval('.group-node', (e) => e.map((x) => x.getAttribute('aria-label')));
    assert.equal(groups.length, 1);
    assert.match(groups[0]!, /call forward_and_backward/);
    assert.ok((await page.$$eval('.node', (e) => e.length)) < before);
    await screenshot(page, 'lesson13-collapsed');
    const t2 = Date.now();
    await page.click('.group-node');
    await waitForGraph(page, t2);
    assert.equal(await page.$$eval('.group-node', (e) => e.length), 2, 'the two lin calls stay folded');
    await page.close();
  });
});
