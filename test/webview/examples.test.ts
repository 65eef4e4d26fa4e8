// The HTML export of each example model, traced by the real CLI (dist/cli.js, `npm run build`),
// rendered with the current webview bundle: counts, labels, hover shapes, one screenshot each.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CLI, launch, openTrace, screenshot, traceExample, waitForGraph } from './browser';

const EXAMPLES = ['lesson13_mlp', 'lesson13_modules', 'cross_entropy', 'attention', 'training_loop'];
const shapeTuple = (s: number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(',')})`);

describe('examples traced by the CLI, in headless Chromium', function () {
  this.timeout(240_000);
  let browser: Browser;
  before(async function () {
    if (!existsSync(CLI)) this.skip();
    browser = await launch();
  });
  after(async () => { await browser?.close(); });

  for (const name of EXAMPLES) {
    it(name, async () => {
      const trace = traceExample(name);
      const { page, problems } = await openTrace(browser, `example-${name}`, trace);
      const t = Date.now();
      await page.click('.toolbar [data-action="expand"]');
      await waitForGraph(page, t);
      await page.click('.toolbar [data-action="fit"]', { modifiers: ['Shift'] }); // the whole graph: every node in the DOM
      await page.waitForFunction((n) => document.querySelectorAll('.node[data-id]').length >= Math.min(n, 40), trace.nodes.length);
      const ids = await page.$$eval('.node[data-id]', (els) => els.map((e) => Number((e as HTMLElement).dataset.id)));
      const byId = new Map(trace.nodes.map((n) => [n.id, n]));
      for (const id of ids) assert.ok(byId.has(id), `node ${id} is in the trace`);
      if (trace.nodes.length <= 300) assert.equal(ids.length, trace.nodes.length);
      const matmul = trace.nodes.find((n) => n.op === 'matmul' && ids.includes(n.id));
      if (matmul) {
        await page.hover(`.node[data-id="${matmul.id}"]`);
        const card = await page.innerText('.hovercard');
        const a = byId.get(matmul.inputs[0])!;
        assert.ok(card.includes(`${shapeTuple(matmul.shape)} × ${shapeTuple(a.shape)}`), card);
        await screenshot(page, `example-${name}-hover`);
      }
      await page.mouse.move(2, 300);
      await screenshot(page, `example-${name}`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
