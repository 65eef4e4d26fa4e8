// The markup of one node, call box and edge. Strings, so thousands are made in one go; positions
// are set through the CSSOM afterwards (the CSP forbids inline style attributes).
import type { TraceNode } from '../src/shared/trace';
import { sparkline } from './charts';
import { escapeHtml, num, shapeX } from './format';
import type { GraphModel, Group } from './graph';
import { gradCheck } from './gradcheck';

export const NODE_W = 206, NODE_H = 74, GROUP_W = 210, GROUP_H = 58;

export function nodeSize(id: string): { width: number; height: number } {
  return id.startsWith('g:') ? { width: GROUP_W, height: GROUP_H } : { width: NODE_W, height: NODE_H };
}

export class NodeHtml {
  private gradRange: [number, number] = [0, 1];

  constructor(private readonly model: GraphModel) {
    const logs = model.trace.nodes.map((n) => n.grad?.absMean).filter((v): v is number => !!v && Number.isFinite(v) && v > 0).map(Math.log10);
    if (logs.length) this.gradRange = [Math.min(...logs), Math.max(...logs)];
  }

  node(n: TraceNode, vid: string): string {
    const name = this.model.name(n);
    const root = this.model.trace.root === n.id;
    const check = gradCheck(n);
    const cls = ['node', n.op === 'leaf' ? 'leaf' : 'op', root ? 'root' : '', check ? `check-${check.status}` : '', n.grad ? '' : 'no-grad'].filter(Boolean).join(' ');
    const dtype = n.dtype !== 'float32' ? `<span class="chip dtype">${n.dtype}</span>` : '';
    const badge = check ? `<span class="chip check ${check.status}" title="${escapeHtml(check.title)}"><i class="codicon codicon-${check.status === 'match' ? 'pass' : 'error'}"></i>.g</span>` : '';
    return `<div class="${cls}" data-vid="${vid}" data-id="${n.id}" tabindex="-1" role="button" aria-label="${escapeHtml(this.model.ariaLabel(n))}">` +
      `<div class="head"><span class="opname">${escapeHtml(n.op)}</span><span class="name" title="${escapeHtml(name)}">${escapeHtml(shortName(name))}</span>${root ? '<span class="chip rootchip">root</span>' : ''}</div>` +
      `<div class="line"><span class="shape">${shapeX(n.shape)}</span>${dtype}<span class="stat">${valueText(n)}</span>${sparkline(n.value)}</div>` +
      `<div class="line">${this.grad(n)}${badge}</div></div>`;
  }

  private grad(n: TraceNode): string {
    const g = n.grad?.absMean;
    if (!n.grad || g === undefined) return `<span class="grad none">no gradient</span>`;
    const [lo, hi] = this.gradRange;
    const t = g > 0 && Number.isFinite(g) ? (hi > lo ? (Math.log10(g) - lo) / (hi - lo) : 1) : 0;
    return `<span class="grad" title="mean |∂root/∂${escapeHtml(this.model.name(n) || n.op)}|">∇ ${num(g)}</span>` +
      `<svg class="gbar" width="44" height="5" aria-hidden="true"><rect class="track" width="44" height="5" rx="2"/><rect class="fill" width="${(4 + 40 * t).toFixed(1)}" height="5" rx="2"/></svg>`;
  }

  group(vid: string, g: Group): string {
    return `<div class="node group-node" data-vid="${vid}" tabindex="-1" role="button" aria-expanded="false" aria-label="${escapeHtml(`call ${g.func}, ${g.members.length} ops, collapsed`)}">` +
      `<div class="head"><i class="codicon codicon-chevron-right"></i><span class="opname">call</span><span class="name">${escapeHtml(g.func)}</span></div>` +
      `<div class="line"><span class="muted">${g.members.length} ops${g.line ? ` · line ${g.line}` : ''} · click to open</span></div></div>`;
  }

  cluster(g: Group): string {
    return `<div class="cluster" data-vid="c:${escapeHtml(g.key)}"><button class="cluster-title" data-collapse="${escapeHtml(g.key)}" aria-expanded="true" aria-label="${escapeHtml(`call ${g.func}, ${g.members.length} ops, expanded; collapse`)}">` +
      `<i class="codicon codicon-chevron-down"></i>${escapeHtml(g.func)}<span class="muted">${g.line ? `line ${g.line}` : ''}</span></button></div>`;
  }
}

export function edgeHtml(points: [number, number][], shape: number[]): string {
  if (points.length < 2) return '';
  const [mx, my] = midpoint(points);
  return `<path class="edge" d="${pathOf(points)}" marker-end="url(#arrow)"/><text class="edge-label" x="${(mx + 6).toFixed(1)}" y="${(my + 3).toFixed(1)}">${shapeX(shape)}</text>`;
}

/** `model.layers[0].weight` → `…layers[0].weight`: the end of a path says most. */
export function shortName(name: string, max = 20): string {
  if (name.length <= max) return name;
  const words = name.split(' ');
  if (words.length > 1) return words.map((w) => shortName(w, Math.max(9, Math.floor(max / words.length)))).join(' ');
  const parts = name.split('.');
  let tail = parts.pop()!;
  while (parts.length && tail.length + parts[parts.length - 1].length + 1 <= max - 1) tail = `${parts.pop()}.${tail}`;
  return tail.length < name.length && tail.length <= max ? `…${tail}` : `${name.slice(0, max - 1)}…`;
}

function valueText(n: TraceNode): string {
  if (n.shape.length === 0 || (n.value.data && n.value.data.length === 1)) return `= ${num(n.value.data?.[0] ?? n.value.mean, 4)}`;
  return `μ ${num(n.value.mean, 2)} σ ${num(n.value.std, 2)}`;
}

export function pathOf(p: [number, number][]): string {
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
