// The trace as the view sees it: display names, call groups (collapsible), and the visible graph
// that goes to layout — collapsed groups become one box, leaves only they consume go inside.
import type { NodeImages } from '../src/shared/protocol';
import type { Trace, TraceNode } from '../src/shared/trace';
import { shapeX } from './format';

export interface Group {
  key: string; // unique per call
  func: string;
  depth: number; // 1 = called from <module>
  parent: Group | null;
  members: number[]; // node ids directly or transitively inside
  line: number;
}

export interface VisibleNode { id: string; node?: TraceNode; group?: Group }
export interface VisibleEdge { from: string; to: string; shape: number[]; fromNode: number }
export interface VisibleGraph {
  nodes: VisibleNode[];
  edges: VisibleEdge[];
  clusters: { group: Group; parent: string | null }[]; // expanded groups, drawn as boxes
  parentOf: Map<string, string>; // visible node → expanded cluster it sits in
}

const BINARY: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', matmul: '@', pow: '**' };

export class GraphModel {
  readonly byId = new Map<number, TraceNode>();
  readonly consumers = new Map<number, number[]>();
  readonly groups: Group[] = [];
  readonly groupOf = new Map<number, Group>(); // innermost group of each op node
  readonly collapsed = new Set<string>();

  /** Set when the host holds the pictures back until a node's details ask (imagesOnRequest). */
  imagesOnRequest = false;
  private readonly withImages = new Set<number>();

  constructor(readonly trace: Trace) {
    for (const n of trace.nodes) this.byId.set(n.id, n);
    for (const n of trace.nodes) for (const i of n.inputs) {
      if (!this.consumers.has(i)) this.consumers.set(i, []);
      this.consumers.get(i)!.push(n.id);
    }
    this.buildGroups();
  }

  needsImages(id: number): boolean {
    return this.imagesOnRequest && !this.withImages.has(id);
  }

  addImages(id: number, images: NodeImages): void {
    const n = this.byId.get(id);
    if (!n) return;
    this.withImages.add(id);
    if (images.value) n.value.image = images.value;
    if (images.grad && n.grad) n.grad.image = images.grad;
    if (images.userGrad && n.userGrad) n.userGrad.image = images.userGrad;
  }

  name(n: TraceNode): string {
    const plain = this.plainName(n);
    if (plain) return plain;
    const sym = BINARY[n.op];
    const ins = n.inputs.map((i) => this.byId.get(i)).map((i) => (i && this.plainName(i)) || null);
    if (sym && ins.length === 2 && ins[0] && ins[1]) return `${ins[0]} ${sym} ${ins[1]}`;
    if (ins.length === 1 && ins[0] && !n.op.startsWith('leaf')) return `${n.op}(${ins[0]})`;
    return '';
  }

  private plainName(n: TraceNode): string | null {
    const own = n.label ?? n.names[0];
    if (own) return own;
    const only = n.inputs.length === 1 ? this.byId.get(n.inputs[0]) : undefined;
    const inner = only && (only.label ?? only.names[0]);
    return inner && (n.op === 't' || (n.op === 'transpose' && only.shape.length === 2)) ? `${inner}.T` : null;
  }

  /** A name for formulas: the variable, or the expression in parentheses, or `op#id`. */
  formulaName(n: TraceNode): string {
    const name = this.name(n);
    if (!name) return `${n.op}#${n.id}`;
    return /^[\w.[\]]+$/.test(name) ? name : `(${name})`;
  }

  ariaLabel(n: TraceNode): string {
    return [n.op, this.name(n), shapeX(n.shape)].filter(Boolean).join(' ');
  }

  private buildGroups(): void {
    const open: Group[] = []; // the current chain of calls, outermost first
    const sorted = [...this.trace.nodes].sort((a, b) => a.id - b.id);
    for (const n of sorted) {
      const frames = frameKeys(n);
      if (n.op === 'leaf' && frames.length === 0) continue;
      let k = 0;
      while (k < open.length && k < frames.length && open[k].key.endsWith(`|${frames[k].id}`)) k++;
      open.length = k;
      for (; k < frames.length; k++) {
        const parent = open[k - 1] ?? null;
        const g: Group = { key: `${this.groups.length}|${frames[k].id}`, func: frames[k].func, depth: k + 1, parent, members: [], line: n.loc?.line ?? 0 };
        this.groups.push(g);
        open.push(g);
      }
      if (open.length) this.groupOf.set(n.id, open[open.length - 1]);
      for (const g of open) g.members.push(n.id);
    }
  }

  /** Start collapsed to the level that keeps the picture readable (≤ budget boxes and nodes). */
  defaultCollapse(budget = 80): void {
    this.collapsed.clear();
    const maxDepth = Math.max(0, ...this.groups.map((g) => g.depth));
    for (let depth = 0; depth <= maxDepth; depth++) {
      this.collapsed.clear();
      for (const g of this.groups) if (g.depth > depth) this.collapsed.add(g.key);
      if (this.trace.nodes.length <= budget && depth === maxDepth) return;
      if (depth < maxDepth && this.visible().nodes.length > budget) {
        if (depth > 0) { this.collapsed.clear(); for (const g of this.groups) if (g.depth > depth - 1) this.collapsed.add(g.key); }
        return;
      }
    }
  }

  /** The outermost collapsed group holding node `id`, if any. */
  private collapsedHolder(id: number): Group | null {
    let holder: Group | null = null;
    for (let g = this.groupOf.get(id) ?? null; g; g = g.parent) if (this.collapsed.has(g.key)) holder = g;
    return holder;
  }

  representative(id: number): string {
    const g = this.collapsedHolder(id);
    if (g) return `g:${g.key}`;
    const n = this.byId.get(id)!;
    if (n.op === 'leaf' && !this.groupOf.has(id)) {
      const reps = new Set((this.consumers.get(id) ?? []).map((c) => this.collapsedHolder(c)));
      if (reps.size === 1) { const only = [...reps][0]; if (only) return `g:${only.key}`; }
    }
    return `n:${id}`;
  }

  visible(): VisibleGraph {
    const nodes: VisibleNode[] = [];
    const seen = new Set<string>();
    const groupByKey = new Map(this.groups.map((g) => [g.key, g]));
    const parentOf = new Map<string, string>();
    for (const n of this.trace.nodes) {
      const rep = this.representative(n.id);
      if (seen.has(rep)) continue;
      seen.add(rep);
      const group = rep.startsWith('g:') ? groupByKey.get(rep.slice(2)) : undefined;
      nodes.push(group ? { id: rep, group } : { id: rep, node: n });
      const inner = group ? group.parent : this.groupOf.get(n.id) ?? null;
      if (inner) parentOf.set(rep, `c:${inner.key}`);
    }
    const edges: VisibleEdge[] = [];
    const edgeSeen = new Set<string>();
    for (const n of this.trace.nodes) {
      const to = this.representative(n.id);
      for (const i of n.inputs) {
        const from = this.representative(i);
        const key = `${from}>${to}`;
        if (from === to || edgeSeen.has(key)) continue;
        edgeSeen.add(key);
        edges.push({ from, to, shape: this.byId.get(i)?.shape ?? [], fromNode: i });
      }
    }
    const clusters = this.groups
      .filter((g) => !this.collapsed.has(g.key) && !this.hiddenByAncestor(g))
      .map((g) => ({ group: g, parent: g.parent ? `c:${g.parent.key}` : null }));
    return { nodes, edges, clusters, parentOf };
  }

  private hiddenByAncestor(g: Group): boolean {
    for (let p = g.parent; p; p = p.parent) if (this.collapsed.has(p.key)) return true;
    return false;
  }
}

function frameKeys(n: TraceNode): { func: string; id: string }[] {
  const loc = n.loc;
  if (!loc) return [];
  const stack = loc.stack ?? (loc.func && loc.func !== '<module>' ? ['<module>', loc.func] : ['<module>']);
  const out: { func: string; id: string }[] = [];
  for (let i = 1; i < stack.length; i++) {
    const call = loc.callIds?.[i];
    out.push({ func: stack[i], id: call === undefined ? stack.slice(0, i + 1).join('/') : `${stack[i]}#${call}` });
  }
  return out;
}
