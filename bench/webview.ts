// Benchmark (not a test): the graph webview on synthetic traces of 1k and 10k nodes in headless
// Chromium. Prints layout time (worker), first paint, expand-all re-layout and hover latency.
// Run: npx tsx bench/webview.ts [sizes…]
import { launch, openTrace, waitForGraph } from '../test/webview/browser';
import { syntheticTrace } from '../test/webview/synthetic';

interface Timings { modelMs: number; layoutMs: number; renderMs: number; engine: string }

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  const browser = await launch();
  try {
    for (const size of sizes.length ? sizes : [1000, 10000]) {
      const trace = syntheticTrace(size);
      const t0 = Date.now();
      const { page } = await openTrace(browser, `bench-${size}`, trace);
      const opened = Date.now() - t0;
      const firstPaint = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))));
      const first = await page.evaluate(() => ({ ...(window as unknown as { gradlens: { timings: Timings } }).gradlens.timings, visible: document.querySelectorAll('.node').length,
        parseMs: (window as unknown as { gradlensParseMs: number }).gradlensParseMs, received: performance.getEntriesByType('navigation').map((e) => (e as PerformanceNavigationTiming).responseEnd)[0] }));
      const since = Date.now();
      const expandStart = await page.evaluate(() => performance.now());
      await page.click('.toolbar [data-action="expand"]');
      await waitForGraph(page, since);
      const expandedPaint = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))));
      const expanded = await page.evaluate(() => ({ ...(window as unknown as { gradlens: { timings: Timings } }).gradlens.timings, visible: document.querySelectorAll('.node').length }));
      const hover = await page.evaluate(async () => {
        const nodes = [...document.querySelectorAll<HTMLElement>('.node[data-id]')];
        const samples: number[] = [], handler: number[] = [];
        for (let i = 0; i < 40; i++) {
          const el = nodes[Math.floor((i * nodes.length) / 40)];
          await new Promise((r) => requestAnimationFrame(r));
          const t = performance.now();
          el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
          handler.push(performance.now() - t);
          await new Promise((r) => requestAnimationFrame(r));
          samples.push(performance.now() - t);
        }
        samples.sort((a, b) => a - b);
        handler.sort((a, b) => a - b);
        return { median: samples[20], p95: samples[37], handler: handler[20] };
      });
      const panMs = await page.evaluate(async () => {
        const frame = document.querySelector('.frame')!;
        const t = performance.now();
        for (let i = 0; i < 20; i++) {
          frame.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 2 ? 60 : -60, clientX: 400, clientY: 300, bubbles: true, cancelable: true }));
          await new Promise((r) => requestAnimationFrame(r));
        }
        return (performance.now() - t) / 20;
      });
      console.log(`${trace.nodes.length} nodes:`);
      console.log(`  default view: ${first.visible} boxes/nodes; page received ${first.received.toFixed(0)} ms (the test harness's CDP route), trace JSON.parse ${first.parseMs.toFixed(0)} ms, model ${first.modelMs.toFixed(0)} ms, layout ${first.layoutMs.toFixed(0)} ms (${first.engine}); first paint ${(firstPaint - first.received).toFixed(0)} ms after the page arrived (page open ${opened} ms incl. HTML build)`);
      console.log(`  expand all:   ${expanded.visible} nodes, layout ${expanded.layoutMs.toFixed(0)} ms (${expanded.engine}), render ${expanded.renderMs.toFixed(0)} ms, click → painted ${(expandedPaint - expandStart).toFixed(0)} ms`);
      console.log(`  hover card:   handler ${hover.handler.toFixed(1)} ms; event → next frame median ${hover.median.toFixed(1)} ms, p95 ${hover.p95.toFixed(1)} ms`);
      console.log(`  zoom frame:   ${panMs.toFixed(1)} ms per wheel step`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
