// Draws a laid-out graph: call boxes, edges (SVG, labelled with the tensor's shape) and one
// focusable element per node. Built as one HTML string, positioned through the CSSOM (the CSP
// forbids inline style attributes), so 10k nodes paint in one go.
import type { TraceNode } from '../src/shared/trace';
import { sparkline } from './charts';
import { escapeHtml, num, shapeX } from './format';
import type { GraphModel, VisibleGraph } from './graph';
import type { Box, LayoutResult } from './layout';
import { gradCheck } from './gradcheck';

export const NODE_W = 190, NODE_H = 74, GROUP_W = 210, GROUP_H = 58;

export function nodeSize(id: string): { width: number; height: number } {
  return id.startsWith('g:') ? { width: GROUP_W, height: GROUP_H } : { width: NODE_W, height: NODE_H };
}

export class GraphRenderer {
  readonly world: HTMLElement;
  readonly elements = new Map<string, HTMLElement>();
  private gradRange: [number, number] = [0, 1];

  constructor(private readonly model: GraphModel, host: HTMLElement) {
    this.world = document.createElement('div');
    this.world.className = 'world';
    host.append(this.world);
    const logs = model.trace.nodes.map((n) => n.grad?.absMean).filter((v): v is number => !!v && Number.isFinite(v) && v > 0).map(Math.log10);
    if (logs.length) this.gradRange = [Math.min(...logs), Math.max(...logs)];
  }

  render(visible: VisibleGraph, layout: LayoutResult): void {
    this.elements.clear();
    const parts: string[] = [];
    for (const c of visible.clusters) {
      const box = layout.clusters[`c:${c.group.key}`];
      if (box) parts.push(this.clusterHtml(c.group.key, c.group.func, c.group.members.length, c.group.line));
    }
    parts.push(`<svg class="edges" width="${layout.width}" height="${layout.height}" aria-hidden="true">` +
      `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>` +
      layout.edges.map((e, i) => this.edgeHtml(e.points, visible.edges[i]?.shape ?? [])).join('') + '</svg>');
    for (const v of visible.nodes) parts.push(v.node ? this.nodeHtml(v.node, v.id) : this.groupHtml(v.id, v.group!.func, v.group!.members.length, v.group!.line));
    this.world.innerHTML = parts.join('');
    this.world.style.width = `${layout.width}px`;
    this.world.style.height = `${layout.height}px`;
    for (const el of this.world.querySelectorAll<HTMLElement>('[data-vid]')) {
      const id = el.dataset.vid!;
      const box: Box | undefined = id.startsWith('c:') ? layout.clusters[id] : layout.nodes[id];
      if (!box) { el.hidden = true; continue; }
      place(el, box);
      if (!id.startsWith('c:')) this.elements.set(id, el);
    }
  }

  private nodeHtml(n: TraceNode, vid: string): string {
    const name = this.model.name(n);
    const root = this.model.trace.root === n.id;
    const check = gradCheck(n);
    const cls = ['node', n.op === 'leaf' ? 'leaf' : 'op', root ? 'root' : '', check ? `check-${check.status}` : '', n.grad ? '' : 'no-grad'].filter(Boolean).join(' ');
    const dtype = n.dtype !== 'float32' ? `<span class="chip dtype">${n.dtype}</span>` : '';
    const badge = check ? `<span class="chip check ${check.status}" title="${escapeHtml(check.title)}"><i class="codicon codicon-${check.status === 'match' ? 'pass' : 'error'}"></i>.g</span>` : '';
    return `<div class="${cls}" data-vid="${vid}" data-id="${n.id}" tabindex="-1" role="button" aria-label="${escapeHtml(this.model.ariaLabel(n))}">` +
      `<div class="head"><span class="opname">${escapeHtml(n.op)}</span><span class="name" title="${escapeHtml(name)}">${escapeHtml(name)}</span>${root ? '<span class="chip rootchip">root</span>' : ''}</div>` +
      `<div class="line"><span class="shape">${shapeX(n.shape)}</span>${dtype}<span class="stat">${valueText(n)}</span>${sparkline(n.value)}</div>` +
      `<div class="line">${this.gradHtml(n)}${badge}</div></div>`;
  }

  private gradHtml(n: TraceNode): string {
    const g = n.grad?.absMean;
    if (!n.grad || g === undefined) return `<span class="grad none">no gradient</span>`;
    const [lo, hi] = this.gradRange;
    const t = g > 0 && Number.isFinite(g) ? (hi > lo ? (Math.log10(g) - lo) / (hi - lo) : 1) : 0;
    return `<span class="grad" title="mean |∂root/∂${escapeHtml(this.model.name(n) || n.op)}|">∇ ${num(g)}</span>` +
      `<svg class="gbar" width="44" height="5" aria-hidden="true"><rect class="track" width="44" height="5" rx="2"/><rect class="fill" width="${(4 + 40 * t).toFixed(1)}" height="5" rx="2"/></svg>`;
  }

  private groupHtml(vid: string, func: string, members: number, line: number): string {
    return `<div class="node group-node" data-vid="${vid}" tabindex="-1" role="button" aria-expanded="false" aria-label="${escapeHtml(`call ${func}, ${members} ops, collapsed`)}">` +
      `<div class="head"><i class="codicon codicon-chevron-right"></i><span class="opname">call</span><span class="name">${escapeHtml(func)}</span></div>` +
      `<div class="line"><span class="muted">${members} ops${line ? ` · line ${line}` : ''} · click to open</span></div></div>`;
  }

  private clusterHtml(key: string, func: string, members: number, line: number): string {
    return `<div class="cluster" data-vid="c:${escapeHtml(key)}"><button class="cluster-title" data-collapse="${escapeHtml(key)}" aria-expanded="true" aria-label="${escapeHtml(`call ${func}, ${members} ops, expanded; collapse`)}">` +
      `<i class="codicon codicon-chevron-down"></i>${escapeHtml(func)}<span class="muted">${line ? `line ${line}` : ''}</span></button></div>`;
  }

  private edgeHtml(points: [number, number][], shape: number[]): string {
    if (points.length < 2) return '';
    const d = pathOf(points);
    const [mx, my] = midpoint(points);
    return `<path class="edge" d="${d}" marker-end="url(#arrow)"/><text class="edge-label" x="${(mx + 6).toFixed(1)}" y="${(my + 3).toFixed(1)}">${shapeX(shape)}</text>`;
  }
}

function valueText(n: TraceNode): string {
  if (n.shape.length === 0 || (n.value.data && n.value.data.length === 1)) return `= ${num(n.value.data?.[0] ?? n.value.mean, 4)}`;
  return `μ ${num(n.value.mean, 2)} σ ${num(n.value.std, 2)}`;
}

function place(el: HTMLElement, b: Box): void {
  el.style.left = `${b.x}px`;
  el.style.top = `${b.y}px`;
  el.style.width = `${b.width}px`;
  el.style.height = `${b.height}px`;
}

function pathOf(p: [number, number][]): string {
  if (p.length === 2) {
    const [[x0, y0], [x1, y1]] = p;
    const dy = Math.max(20, (y1 - y0) / 2);
    return `M${x0},${y0} C${x0},${y0 + dy} ${x1},${y1 - dy} ${x1},${y1}`;
  }
  let d = `M${p[0][0]},${p[0][1]}`;
  for (let i = 1; i < p.length - 1; i++) {
    const mx = (p[i][0] + p[i + 1][0]) / 2, my = (p[i][1] + p[i + 1][1]) / 2;
    d += ` Q${p[i][0]},${p[i][1]} ${i === p.length - 2 ? `${p[i + 1][0]},${p[i + 1][1]}` : `${mx},${my}`}`;
  }
  return d;
}

function midpoint(p: [number, number][]): [number, number] {
  if (p.length === 2) return [(p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2];
  return p[Math.floor(p.length / 2)];
}
