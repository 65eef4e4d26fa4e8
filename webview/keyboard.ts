// Arrow keys between nodes: up/down follow edges (inputs above, consumers below) and fall back
// to geometry; left/right pick the nearest node in the same row.
import type { VisibleGraph } from './graph';
import type { Box, LayoutResult } from './layout';

export type Direction = 'up' | 'down' | 'left' | 'right';

const centre = (b: Box) => [b.x + b.width / 2, b.y + b.height / 2] as const;

export function neighbour(layout: LayoutResult, visible: VisibleGraph, from: string, dir: Direction): string | null {
  const here = layout.nodes[from];
  if (!here) return null;
  const [hx, hy] = centre(here);
  if (dir === 'up' || dir === 'down') {
    const linked = visible.edges.filter((e) => (dir === 'up' ? e.to === from : e.from === from)).map((e) => (dir === 'up' ? e.from : e.to));
    const best = nearest(linked, layout, hx, hy);
    if (best) return best;
  }
  const candidates = Object.keys(layout.nodes).filter((id) => {
    if (id === from) return false;
    const [x, y] = centre(layout.nodes[id]);
    if (dir === 'left') return x < hx && Math.abs(y - hy) < here.height;
    if (dir === 'right') return x > hx && Math.abs(y - hy) < here.height;
    return dir === 'up' ? y < hy - here.height / 2 : y > hy + here.height / 2;
  });
  return nearest(candidates, layout, hx, hy);
}

function nearest(ids: string[], layout: LayoutResult, x: number, y: number): string | null {
  let best: string | null = null, bestD = Infinity;
  for (const id of ids) {
    const b = layout.nodes[id];
    if (!b) continue;
    const [cx, cy] = centre(b);
    const d = (cx - x) ** 2 + 4 * (cy - y) ** 2;
    if (d < bestD) { bestD = d; best = id; }
  }
  return best;
}
