// The HTML export of each example model, traced by the real CLI (dist/cli.js, `npm run build`),
// rendered with the current webview bundle: counts, labels, hover shapes, one screenshot each.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Trace } from '../../src/shared/trace';
import { launch, openTrace, OUTPUT, ROOT, screenshot } from './browser';

const EXAMPLES = ['lesson13_mlp', 'lesson13_modules', 'cross_entropy', 'attention', 'training_loop'];
const CLI = join(ROOT, 'dist', 'cli.js');

function traceExample(name: string): Trace {
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
      await page.click('.toolbar [data-action="expand"]');
      await page.waitForFunction((n) => document.querySelectorAll('.node[data-id]').length >= Math.min(n, 40), trace.nodes.length);
      await page.click('.toolbar [data-action="fit"]');
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
