// Draws only what the viewport shows: DOM nodes, call boxes and SVG edges inside the visible
// rectangle (plus a margin), made on demand as you pan; zoomed far out, a canvas of plain boxes
// instead. Marks (selection, search hits, line highlights) live here so new elements get them.
import type { GraphModel, VisibleGraph } from './graph';
import type { Box, LayoutResult } from './layout';
import { edgeHtml, NodeHtml } from './node-html';
import { drawOverview, LOD_SCALE } from './overview';

export { nodeSize } from './node-html';

export interface View { x: number; y: number; k: number; width: number; height: number }
type Mark = 'selected' | 'search-hit' | 'line-hit';

const MARGIN_PX = 400;

export class GraphRenderer {
  readonly world: HTMLElement;
  readonly elements = new Map<string, HTMLElement>();
  private readonly html: NodeHtml;
  private readonly edgeLayer: SVGSVGElement;
  private readonly edgeGroup: SVGGElement;
  private readonly clusterLayer: HTMLElement;
  private readonly nodeLayer: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private visible: VisibleGraph | null = null;
  private layout: LayoutResult | null = null;
  private edgeBoxes: Box[] = [];
  private readonly clusterEls = new Map<string, HTMLElement>();
  private readonly shownEdges = new Set<number>();
  private readonly marks: Record<Mark, Set<string>> = { 'selected': new Set(), 'search-hit': new Set(), 'line-hit': new Set() };
  private keep: string | null = null;
  private lastView: View | null = null;
  overview = false;

  constructor(private readonly model: GraphModel, frame: HTMLElement) {
    this.html = new NodeHtml(model);
    this.world = el('div', 'world');
    this.clusterLayer = el('div', 'clusters');
    this.edgeLayer = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.edgeLayer.setAttribute('class', 'edges');
    this.edgeLayer.setAttribute('aria-hidden', 'true');
    this.edgeLayer.innerHTML = `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z"/></marker></defs><g></g>`;
    this.edgeGroup = this.edgeLayer.querySelector('g')!;
    this.nodeLayer = el('div', 'nodes');
    this.world.append(this.clusterLayer, this.edgeLayer, this.nodeLayer);
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'overview';
    this.canvas.setAttribute('aria-hidden', 'true');
    frame.append(this.world, this.canvas);
  }

  render(visible: VisibleGraph, layout: LayoutResult): void {
    this.visible = visible;
    this.layout = layout;
    this.elements.clear();
    this.clusterEls.clear();
    this.shownEdges.clear();
    this.nodeLayer.textContent = '';
    this.clusterLayer.textContent = '';
    this.edgeGroup.textContent = '';
    this.edgeBoxes = layout.edges.map((e) => boundsOf(e.points));
    if (this.lastView) this.update(this.lastView);
  }

  /** Brings the elements in line with the view: adds what came into sight, drops what left. */
  update(view: View): void {
    this.lastView = view;
    const layout = this.layout, visible = this.visible;
    if (!layout || !visible) return;
    const m = MARGIN_PX / view.k;
    const r = { x0: -view.x / view.k - m, y0: -view.y / view.k - m, x1: (view.width - view.x) / view.k + m, y1: (view.height - view.y) / view.k + m };
    const inView = (b: Box) => b.x < r.x1 && b.x + b.width > r.x0 && b.y < r.y1 && b.y + b.height > r.y0;
    const wanted = visible.nodes.filter((v) => layout.nodes[v.id] && inView(layout.nodes[v.id]));
    this.overview = view.k < LOD_SCALE && wanted.length > 300;
    this.world.classList.toggle('hidden-by-overview', this.overview);
    this.canvas.hidden = !this.overview;
    if (this.overview) {
      drawOverview(this.canvas, view, layout, visible, this.model, this.marks);
      return;
    }
    const want = new Set(wanted.map((v) => v.id));
    if (this.keep) want.add(this.keep);
    for (const [id, e] of this.elements) if (!want.has(id)) { e.remove(); this.elements.delete(id); }
    const fresh = visible.nodes.filter((v) => want.has(v.id) && !this.elements.has(v.id));
    this.addNodes(fresh);
    for (const c of visible.clusters) {
      const id = `c:${c.group.key}`, box = layout.clusters[id];
      const show = !!box && inView(box);
      const have = this.clusterEls.get(id);
      if (show && !have) {
        this.clusterLayer.insertAdjacentHTML('beforeend', this.html.cluster(c.group));
        this.clusterEls.set(id, this.clusterLayer.lastElementChild as HTMLElement);
      } else if (!show && have) { have.remove(); this.clusterEls.delete(id); }
      // A call box can be 800k px tall: paint only its part in (and near) view.
      if (show) place(this.clusterEls.get(id)!, clip(box, r));
    }
    const edgeParts: string[] = [];
    const nextEdges = new Set<number>();
    this.edgeBoxes.forEach((b, i) => { if (inView(b)) nextEdges.add(i); });
    const changed = nextEdges.size !== this.shownEdges.size || [...nextEdges].some((i) => !this.shownEdges.has(i));
    // The SVG covers only the visible rectangle (a graph can be 800k px tall), in world units.
    const sx = Math.floor(r.x0), sy = Math.floor(r.y0), sw = Math.ceil(r.x1 - r.x0), sh = Math.ceil(r.y1 - r.y0);
    this.edgeLayer.style.left = `${sx}px`;
    this.edgeLayer.style.top = `${sy}px`;
    this.edgeLayer.setAttribute('width', String(sw));
    this.edgeLayer.setAttribute('height', String(sh));
    this.edgeLayer.setAttribute('viewBox', `${sx} ${sy} ${sw} ${sh}`);
    if (changed) {
      for (const i of nextEdges) edgeParts.push(edgeHtml(layout.edges[i].points, visible.edges[i]?.shape ?? []));
      this.edgeGroup.innerHTML = edgeParts.join('');
      this.shownEdges.clear();
      nextEdges.forEach((i) => this.shownEdges.add(i));
    }
  }

  private addNodes(fresh: VisibleGraph['nodes']): void {
    if (!fresh.length || !this.layout) return;
    const start = this.nodeLayer.childElementCount;
    this.nodeLayer.insertAdjacentHTML('beforeend', fresh.map((v) => (v.node ? this.html.node(v.node, v.id) : this.html.group(v.id, v.group!))).join(''));
    const made = this.nodeLayer.children;
    for (let i = start; i < made.length; i++) {
      const e = made[i] as HTMLElement;
      const id = e.dataset.vid!;
      place(e, this.layout.nodes[id]);
      this.elements.set(id, e);
      for (const mark of Object.keys(this.marks) as Mark[]) if (this.marks[mark].has(id)) e.classList.add(mark);
    }
  }

  /** The element of a visible node, made now if it is out of view (keyboard focus, tests). */
  element(vid: string): HTMLElement | undefined {
    const have = this.elements.get(vid);
    if (have) return have;
    const v = this.visible?.nodes.find((n) => n.id === vid);
    if (!v || !this.layout?.nodes[vid]) return undefined;
    this.addNodes([v]);
    return this.elements.get(vid);
  }

  /** Keeps one element alive while it is off-screen (the focused node). */
  pin(vid: string | null): void {
    this.keep = vid;
  }

  setMark(mark: Mark, ids: Iterable<string>): void {
    for (const id of this.marks[mark]) this.elements.get(id)?.classList.remove(mark);
    this.marks[mark] = new Set(ids);
    for (const id of this.marks[mark]) this.elements.get(id)?.classList.add(mark);
    if (this.overview && this.lastView) this.update(this.lastView);
  }

  /** The node under a point of the overview canvas (frame coordinates). */
  hit(px: number, py: number): string | null {
    const v = this.lastView, layout = this.layout;
    if (!v || !layout) return null;
    const x = (px - v.x) / v.k, y = (py - v.y) / v.k;
    for (const [id, b] of Object.entries(layout.nodes)) if (x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height) return id;
    return null;
  }
}

function el(tag: string, className: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function place(e: HTMLElement, b: Box): void {
  e.style.left = `${b.x}px`;
  e.style.top = `${b.y}px`;
  e.style.width = `${b.width}px`;
  e.style.height = `${b.height}px`;
}

function clip(b: Box, r: { x0: number; y0: number; x1: number; y1: number }): Box {
  const x = Math.max(b.x, r.x0), y = Math.max(b.y, r.y0);
  return { x, y, width: Math.min(b.x + b.width, r.x1) - x, height: Math.min(b.y + b.height, r.y1) - y };
}

function boundsOf(points: [number, number][]): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  return { x: x0 - 40, y: y0, width: x1 - x0 + 80, height: y1 - y0 };
}
