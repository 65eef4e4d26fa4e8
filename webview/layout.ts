// Layout: @dagrejs/dagre (compound, with call boxes) for pictures a person reads node by node,
// and a linear-time layered layout above DAGRE_LIMIT nodes, where dagre takes seconds and its
// recursive DFS overflows the stack (~10k nodes). Pure: runs in the layout worker or inline.
import dagre from '@dagrejs/dagre';

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { from: string; to: string }[];
  clusters: { id: string; parent: string | null }[];
  parentOf: [string, string][]; // node → cluster
}
export interface Box { x: number; y: number; width: number; height: number } // top-left
export interface LayoutResult {
  nodes: Record<string, Box>;
  clusters: Record<string, Box>;
  edges: { from: string; to: string; points: [number, number][] }[];
  width: number;
  height: number;
  engine: 'dagre' | 'layered';
  ms: number;
}

export const DAGRE_LIMIT = 400;
const NODE_SEP = 28, RANK_SEP = 52, MARGIN = 24, CLUSTER_PAD = 14, CLUSTER_TITLE = 22;

export function computeLayout(input: LayoutInput): LayoutResult {
  const t0 = performance.now();
  const result = input.nodes.length <= DAGRE_LIMIT ? dagreLayout(input) : layeredLayout(input);
  result.ms = performance.now() - t0;
  return result;
}

function dagreLayout(input: LayoutInput): LayoutResult {
  const compound = input.clusters.length > 0;
  const g = new dagre.graphlib.Graph({ compound, multigraph: false });
  // dagre nests clusters by splitting each rank into 2·depth+1 sub-ranks, each `ranksep` apart.
  const depth = clusterDepth(input);
  g.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: compound ? Math.max(6, RANK_SEP / (2 * depth + 1)) : RANK_SEP, marginx: MARGIN, marginy: MARGIN + CLUSTER_TITLE });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of input.nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const c of input.clusters) g.setNode(c.id, { paddingTop: CLUSTER_TITLE + CLUSTER_PAD, paddingLeft: CLUSTER_PAD, paddingRight: CLUSTER_PAD, paddingBottom: CLUSTER_PAD });
  for (const c of input.clusters) if (c.parent) g.setParent(c.id, c.parent);
  for (const [n, c] of input.parentOf) g.setParent(n, c);
  for (const e of input.edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const box = (id: string): Box => {
    const v = g.node(id);
    return { x: v.x - v.width / 2, y: v.y - v.height / 2, width: v.width, height: v.height };
  };
  const nodes: Record<string, Box> = {};
  for (const n of input.nodes) nodes[n.id] = box(n.id);
  const clusters: Record<string, Box> = {};
  for (const c of input.clusters) {
    const b = box(c.id);
    clusters[c.id] = { x: b.x, y: b.y - CLUSTER_TITLE, width: b.width, height: b.height + CLUSTER_TITLE };
  }
  const edges = input.edges.map((e) => ({ ...e, points: (g.edge(e.from, e.to)?.points ?? []).map((p): [number, number] => [p.x, p.y]) }));
  const graph = g.graph();
  const result: LayoutResult = { nodes, clusters, edges, width: (graph.width ?? 0) + MARGIN, height: (graph.height ?? 0) + MARGIN, engine: 'dagre', ms: 0 };
  clearNestedTitles(input, result);
  return result;
}

/** dagre puts a nested box's top right under its parent's: push the nested box (and all below) down so both titles show. */
function clearNestedTitles(input: LayoutInput, r: LayoutResult): void {
  const nested = input.clusters.filter((c) => c.parent && r.clusters[c.id] && r.clusters[c.parent]);
  nested.sort((a, b) => r.clusters[a.id].y - r.clusters[b.id].y);
  for (const c of nested) {
    const child = r.clusters[c.id], parent = r.clusters[c.parent!];
    const dy = parent.y + CLUSTER_TITLE + 2 - child.y;
    if (dy > 0) shiftBelow(r, child.y - 0.5, dy);
  }
}

function shiftBelow(r: LayoutResult, line: number, dy: number): void {
  for (const b of Object.values(r.nodes)) if (b.y >= line) b.y += dy;
  for (const b of Object.values(r.clusters)) {
    if (b.y >= line) b.y += dy;
    else if (b.y + b.height >= line) b.height += dy;
  }
  for (const e of r.edges) for (const p of e.points) if (p[1] >= line) p[1] += dy;
  r.height += dy;
}

/** Longest-path ranks, two barycenter sweeps, then x from the inputs' mean, packed left to right. */
function layeredLayout(input: LayoutInput): LayoutResult {
  const index = new Map(input.nodes.map((n, i) => [n.id, i]));
  const count = input.nodes.length;
  const ins: number[][] = Array.from({ length: count }, () => []);
  const outs: number[][] = Array.from({ length: count }, () => []);
  for (const e of input.edges) {
    const a = index.get(e.from), b = index.get(e.to);
    if (a === undefined || b === undefined) continue;
    ins[b].push(a);
    outs[a].push(b);
  }
  const rank = new Array<number>(count).fill(0);
  const order = topological(count, ins, outs);
  for (const v of order) for (const u of ins[v]) rank[v] = Math.max(rank[v], rank[u] + 1);
  for (const v of order) if (!ins[v].length && outs[v].length) rank[v] = Math.max(0, Math.min(...outs[v].map((w) => rank[w])) - 1);
  const ranks: number[][] = [];
  for (const v of order) (ranks[rank[v]] ??= []).push(v);
  const pos = new Float64Array(count);
  const renumber = (r: number[]) => r.forEach((v, i) => { pos[v] = i; });
  ranks.forEach((r) => r && renumber(r));
  const sweep = (r: number[], nbrs: number[][]) => {
    const bary = new Map(r.map((v) => [v, nbrs[v].length ? nbrs[v].reduce((s, u) => s + pos[u], 0) / nbrs[v].length : pos[v]]));
    r.sort((a, b) => bary.get(a)! - bary.get(b)!);
    renumber(r);
  };
  for (let pass = 0; pass < 2; pass++) {
    for (const r of ranks) if (r) sweep(r, ins);
    for (let i = ranks.length - 1; i >= 0; i--) if (ranks[i]) sweep(ranks[i], outs);
  }
  const x = new Float64Array(count), y = new Float64Array(count);
  let top = MARGIN, width = 0;
  for (const r of ranks) {
    if (!r) continue;
    const h = Math.max(...r.map((v) => input.nodes[v].height));
    let cursor = MARGIN;
    for (const v of r) {
      const w = input.nodes[v].width;
      const want = ins[v].length ? ins[v].reduce((s, u) => s + x[u], 0) / ins[v].length : cursor;
      x[v] = Math.max(cursor, want);
      y[v] = top;
      cursor = x[v] + w + NODE_SEP;
    }
    width = Math.max(width, cursor);
    top += h + RANK_SEP;
  }
  const nodes: Record<string, Box> = {};
  input.nodes.forEach((n, i) => { nodes[n.id] = { x: x[i], y: y[i], width: n.width, height: n.height }; });
  const edges = input.edges.filter((e) => nodes[e.from] && nodes[e.to]).map((e) => {
    const a = nodes[e.from], b = nodes[e.to];
    return { ...e, points: [[a.x + a.width / 2, a.y + a.height], [b.x + b.width / 2, b.y]] as [number, number][] };
  });
  return { nodes, clusters: clusterBoxes(input, nodes), edges, width: width + MARGIN, height: top + MARGIN, engine: 'layered', ms: 0 };
}

function clusterDepth(input: LayoutInput): number {
  const parent = new Map(input.clusters.map((c) => [c.id, c.parent]));
  let max = 0;
  for (const c of input.clusters) {
    let d = 1;
    for (let p = c.parent; p; p = parent.get(p) ?? null) d++;
    max = Math.max(max, d);
  }
  return max;
}

function topological(count: number, ins: number[][], outs: number[][]): number[] {
  const indegree = ins.map((l) => l.length);
  const queue: number[] = [];
  for (let v = 0; v < count; v++) if (!indegree[v]) queue.push(v);
  for (let head = 0; head < queue.length; head++) {
    for (const w of outs[queue[head]]) if (--indegree[w] === 0) queue.push(w);
  }
  if (queue.length < count) for (let v = 0; v < count; v++) if (indegree[v] > 0) queue.push(v); // cycles: never in a trace
  return queue;
}

/** Bounding boxes of each cluster's members (innermost first so parents contain children). */
function clusterBoxes(input: LayoutInput, nodes: Record<string, Box>): Record<string, Box> {
  const members = new Map<string, Box[]>();
  for (const [n, c] of input.parentOf) if (nodes[n]) (members.get(c) ?? members.set(c, []).get(c)!).push(nodes[n]);
  const parent = new Map(input.clusters.map((c) => [c.id, c.parent]));
  const depth = new Map(input.clusters.map((c) => { let d = 0; for (let p = c.parent; p; p = parent.get(p) ?? null) d++; return [c.id, d]; }));
  const out: Record<string, Box> = {};
  for (const c of [...input.clusters].sort((a, b) => depth.get(b.id)! - depth.get(a.id)!)) {
    const boxes = members.get(c.id) ?? [];
    if (!boxes.length) continue;
    const x0 = Math.min(...boxes.map((b) => b.x)) - CLUSTER_PAD, y0 = Math.min(...boxes.map((b) => b.y)) - CLUSTER_PAD - CLUSTER_TITLE;
    const x1 = Math.max(...boxes.map((b) => b.x + b.width)) + CLUSTER_PAD, y1 = Math.max(...boxes.map((b) => b.y + b.height)) + CLUSTER_PAD;
    out[c.id] = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    if (c.parent) (members.get(c.parent) ?? members.set(c.parent, []).get(c.parent)!).push(out[c.id]);
  }
  return out;
}
