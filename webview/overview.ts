// Zoomed far out, thousands of nodes are drawn on one canvas as coloured boxes and lines:
// cheap to redraw on every pan and zoom, where DOM nodes would be too small to read anyway.
import type { GraphModel, VisibleGraph } from './graph';
import type { LayoutResult } from './layout';
import { gradCheck } from './gradcheck';
import type { View } from './render';

export const LOD_SCALE = 0.3;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function drawOverview(canvas: HTMLCanvasElement, view: View, layout: LayoutResult, visible: VisibleGraph, model: GraphModel, marks: Record<string, Set<string>>): void {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(view.width * dpr) || canvas.height !== Math.round(view.height * dpr)) {
    canvas.width = Math.round(view.width * dpr);
    canvas.height = Math.round(view.height * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.x, dpr * view.y);
  const colors = {
    edge: cssVar('--vscode-descriptionForeground', '#888'), op: cssVar('--vscode-charts-blue', '#3794ff'),
    leaf: cssVar('--vscode-charts-purple', '#b180d7'), group: cssVar('--vscode-charts-green', '#89d185'),
    root: cssVar('--vscode-charts-orange', '#d18616'), bad: cssVar('--vscode-charts-red', '#f14c4c'),
    hit: cssVar('--vscode-charts-yellow', '#cca700'),
  };
  ctx.strokeStyle = colors.edge;
  ctx.globalAlpha = 0.5;
  ctx.lineWidth = 1 / view.k;
  ctx.beginPath();
  for (const e of layout.edges) {
    const p = e.points;
    if (p.length < 2) continue;
    ctx.moveTo(p[0][0], p[0][1]);
    for (let i = 1; i < p.length; i++) ctx.lineTo(p[i][0], p[i][1]);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  for (const v of visible.nodes) {
    const b = layout.nodes[v.id];
    if (!b) continue;
    const n = v.node;
    ctx.fillStyle = marks['search-hit'].has(v.id) || marks['line-hit'].has(v.id) ? colors.hit
      : !n ? colors.group : model.trace.root === n.id ? colors.root : gradCheck(n)?.status === 'mismatch' ? colors.bad : n.op === 'leaf' ? colors.leaf : colors.op;
    ctx.fillRect(b.x, b.y, b.width, b.height);
  }
}
