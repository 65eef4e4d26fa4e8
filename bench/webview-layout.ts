// Benchmark (not a test): the two layout libraries the design allows, on the same synthetic
// graphs, plus our linear-time layered layout. Node, one run each, in this order.
// Run: npx tsx bench/webview-layout.ts [sizes…]   (default 100 1000 10000)
import dagre from '@dagrejs/dagre';
import ELK from 'elkjs/lib/elk.bundled.js';
import { computeLayout, DAGRE_LIMIT } from '../webview/layout';
import { syntheticTrace } from '../test/webview/synthetic';

const ELK_TIMEOUT_MS = 120_000;

async function time(f: () => unknown): Promise<string> {
  const t0 = performance.now();
  try {
    await Promise.race([f(), new Promise((_, reject) => setTimeout(() => reject(new Error(`> ${ELK_TIMEOUT_MS / 1000} s`)), ELK_TIMEOUT_MS))]);
    return `${(performance.now() - t0).toFixed(0)} ms`;
  } catch (e) {
    return `failed (${(e as Error).message.slice(0, 40)})`;
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  for (const size of sizes.length ? sizes : [100, 1000, 10000]) {
    const t = syntheticTrace(size);
    const ids = t.nodes.map((n) => String(n.id));
    const edges = t.nodes.flatMap((n) => n.inputs.map((i) => [String(i), String(n.id)] as const));
    const dagreMs = await time(() => {
      const g = new dagre.graphlib.Graph();
      g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 52 });
      g.setDefaultEdgeLabel(() => ({}));
      for (const id of ids) g.setNode(id, { width: 206, height: 74 });
      for (const [a, b] of edges) g.setEdge(a, b);
      dagre.layout(g);
    });
    const elkMs = await time(() => new ELK().layout({
      id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN' },
      children: ids.map((id) => ({ id, width: 206, height: 74 })),
      edges: edges.map(([a, b], k) => ({ id: `e${k}`, sources: [a], targets: [b] })),
    }));
    const oursMs = await time(() => computeLayout({ nodes: ids.map((id) => ({ id, width: 206, height: 74 })), edges: edges.map(([from, to]) => ({ from, to })), clusters: [], parentOf: [] }));
    console.log(`${t.nodes.length} nodes, ${edges.length} edges: dagre ${dagreMs} · elkjs ${elkMs} · Gradlens (${t.nodes.length <= DAGRE_LIMIT ? 'dagre' : 'layered'}) ${oursMs}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
