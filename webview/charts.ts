// Small pictures of a tensor: node sparklines (SVG strings, cheap for 10k nodes), and the details
// view's heatmap (canvas, diverging scale around 0), histogram and loss curve.
import type { Summary } from '../src/shared/trace';
import { num } from './format';

/** The value histogram as one polyline: a tiny picture of the distribution. */
export function sparkline(s: Summary | null, width = 56, height = 16): string {
  const h = s?.histogram;
  if (!h || h.length < 2) return '';
  const max = Math.max(...h) || 1;
  const pts = h.map((v, i) => `${((i / (h.length - 1)) * width).toFixed(1)},${(height - (v / max) * (height - 1) - 0.5).toFixed(1)}`);
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true"><polyline points="${pts.join(' ')}"/></svg>`;
}

/** Blue (negative) – neutral – red (positive), symmetric around 0; sequential when all ≥ 0. */
export function colorFor(v: number, lo: number, hi: number): [number, number, number] {
  if (!Number.isFinite(v)) return [255, 0, 255];
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    const t = Math.max(-1, Math.min(1, v / m));
    return t >= 0 ? mix([247, 247, 247], [202, 0, 32], t) : mix([247, 247, 247], [5, 113, 176], -t);
  }
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return mix([13, 8, 135], [240, 249, 33], t);
}

function mix(a: number[], b: number[], t: number): [number, number, number] {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as [number, number, number];
}

export function heatmap(s: Summary, shape: readonly number[]): HTMLElement | null {
  let img = s.image;
  if (!img && s.data && s.data.length > 1) {
    const cols = shape.length ? shape[shape.length - 1] : 1;
    img = { rows: s.data.length / cols, cols, data: s.data };
  }
  if (!img || img.rows * img.cols < 2) return null;
  const lo = Math.min(...img.data), hi = Math.max(...img.data);
  if (lo === hi) return null;
  const canvas = document.createElement('canvas');
  canvas.width = img.cols;
  canvas.height = img.rows;
  canvas.className = 'heatmap';
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const pixels = ctx.createImageData(img.cols, img.rows);
  img.data.forEach((v, i) => {
    const [r, g, b] = colorFor(v, lo, hi);
    pixels.data.set([r, g, b, 255], i * 4);
  });
  ctx.putImageData(pixels, 0, 0);
  // Square cells where they fit; narrow tensors (32×6) get wider cells so they stay legible.
  const scale = Math.max(1, Math.floor(Math.min(320 / img.cols, 200 / img.rows)));
  canvas.style.width = `${Math.min(320, Math.max(img.cols * scale, 140))}px`;
  canvas.style.height = `${img.rows * scale}px`;
  const wrap = document.createElement('figure');
  wrap.className = 'heatmap-figure';
  const downsampled = s.image && shape.length >= 2 && (img.rows * img.cols < shape.reduce((a, b) => a * b, 1));
  const caption = document.createElement('figcaption');
  const legend = document.createElement('canvas');
  legend.className = 'legend';
  legend.width = 100;
  legend.height = 1;
  const lctx = legend.getContext('2d');
  if (lctx) {
    const bar = lctx.createImageData(100, 1);
    for (let i = 0; i < 100; i++) bar.data.set([...colorFor(lo + ((hi - lo) * i) / 99, lo, hi), 255], i * 4);
    lctx.putImageData(bar, 0, 0);
  }
  const loSpan = document.createElement('span');
  loSpan.textContent = num(lo);
  const hiSpan = document.createElement('span');
  hiSpan.textContent = num(hi);
  const note = document.createElement('span');
  note.className = 'muted';
  const sampled = s.sampledEveryRows ? `, every ${s.sampledEveryRows}th row` : '';
  note.textContent = `${img.rows}×${img.cols}${downsampled ? ` (block means, downsampled${sampled})` : ''}`;
  caption.append(loSpan, legend, hiSpan, note);
  wrap.append(canvas, caption);
  return wrap;
}

export function histogram(s: Summary, width = 300, height = 64): string {
  const h = s.histogram;
  if (!h?.length) return '';
  const max = Math.max(...h) || 1;
  const bw = width / h.length;
  const bars = h.map((v, i) => {
    const bh = (v / max) * (height - 2);
    return `<rect x="${(i * bw + 0.5).toFixed(1)}" y="${(height - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}"><title>${v}</title></rect>`;
  });
  return `<figure class="histogram"><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="histogram">${bars.join('')}</svg>` +
    `<figcaption><span>${num(s.min)}</span>${s.sampledEveryRows ? `<span class="muted">every ${s.sampledEveryRows}th row</span>` : ''}<span>${num(s.max)}</span></figcaption></figure>`;
}

export function lossCurve(losses: number[], width = 300, height = 90): string {
  const finite = losses.filter(Number.isFinite);
  if (finite.length < 2) return '';
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const x = (i: number) => 8 + (i / (losses.length - 1)) * (width - 16);
  const y = (v: number) => 6 + (1 - (hi > lo ? (v - lo) / (hi - lo) : 0.5)) * (height - 12);
  const pts = losses.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : '')).filter(Boolean);
  const dots = losses.map((v, i) => (Number.isFinite(v) ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5"><title>step ${i}: ${num(v, 5)}</title></circle>` : '')).join('');
  return `<figure class="loss-curve"><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="loss at each backward() call"><polyline points="${pts.join(' ')}"/>${dots}</svg>` +
    `<figcaption><span>${losses.length} backward() calls</span><span>${num(losses[0], 4)} → ${num(losses[losses.length - 1], 4)}</span></figcaption></figure>`;
}
