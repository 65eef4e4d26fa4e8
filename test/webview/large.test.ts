// A 3,000-node synthetic trace: layered layout off the UI thread, only visible nodes in the DOM,
// the canvas overview when zoomed out, keyboard focus and search reaching off-screen nodes.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launch, openTrace, screenshot, waitForGraph } from './browser';
import { syntheticTrace } from './synthetic';

describe('large graph (3k nodes)', () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const trace = syntheticTrace(3000);

  before(async () => {
    browser = await launch();
    ({ page, problems } = await openTrace(browser, 'large-3k', trace));
  });
  after(async () => { await browser?.close(); });

  it('starts folded into calls', async () => {
    assert.ok(await page.$$eval('.group-node', (e) => e.length) >= 1);
    await screenshot(page, 'large-3k-folded');
  });

  it('expands to all nodes with the layered layout, drawing only what is in view', async () => {
    const t = Date.now();
    await page.click('.toolbar [data-action="expand"]');
    await waitForGraph(page, t);
    const engine = await page.evaluate(() => (window as unknown as { gradlens: { timings: { engine: string } } }).gradlens.timings.engine);
    assert.equal(engine, 'layered');
    const inDom = await page.$$eval('.node[data-id]', (e) => e.length);
    assert.ok(inDom > 5 && inDom < 600, `${inDom} nodes in the DOM`);
    await screenshot(page, 'large-3k-expanded');
  });

  it('zoomed out, draws a canvas overview', async () => {
    await page.click('.toolbar [data-action="fit"]', { modifiers: ['Shift'] });
    await page.waitForSelector('canvas.overview:not([hidden])');
    await screenshot(page, 'large-3k-overview');
  });

  it('search jumps to a node far away and focuses it', async () => {
    await page.fill('.search >> input', 'h400');
    await page.press('.search >> input', 'Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'relu h400 32×64');
    await page.mouse.move(2, 300);
    await screenshot(page, 'large-3k-search');
    await page.keyboard.press('ArrowUp');
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /^add /);
  });

  it('no console errors', () => assert.deepEqual(problems, []));
});
