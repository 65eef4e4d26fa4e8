// What travels in a trace instead of a whole tensor: stats, a histogram, a downsampled image,
// the first values — and every value for small tensors or with --full.
import { TRACE_INLINE_LIMIT, type Summary } from '../shared/trace';
import type { Tensor } from './tensor';

const HEAD = 16;
const BINS = 24;
const IMAGE_MAX = 64;

export function summarize(t: Tensor, full = false): Summary {
  const d = t.data;
  const n = t.size;
  let min = Infinity, max = -Infinity, sum = 0, absSum = 0, nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i];
    if (v - v !== 0) { nonFinite++; continue; } // NaN or ±Infinity
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    absSum += v < 0 ? -v : v;
  }
  const finite = n - nonFinite;
  const mean = finite ? sum / finite : NaN;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const e = d[i] - mean;
    if (e - e === 0) sq += e * e;
  }
  const s: Summary = {
    min: finite ? min : NaN, max: finite ? max : NaN, mean,
    std: finite > 1 ? Math.sqrt(sq / (finite - 1)) : 0,
    absMean: finite ? absSum / finite : NaN,
  };
  if (nonFinite) s.nonFinite = nonFinite;
  if (full || n <= TRACE_INLINE_LIMIT) s.data = Array.from(d);
  else s.head = Array.from(d.subarray(0, HEAD));
  if (n > 1 && finite) s.histogram = histogram(d, min, max);
  if (t.ndim >= 2 && n > 1) s.image = downsample(t);
  return s;
}

function histogram(d: Tensor['data'], min: number, max: number): number[] {
  const bins = new Float64Array(BINS + 1);
  const scale = BINS / ((max - min) || 1);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v - v !== 0) continue; // NaN or ±Infinity
    bins[((v - min) * scale) | 0]++;
  }
  bins[BINS - 1] += bins[BINS]; // the maximum itself lands one past the last bin
  return Array.from(bins.subarray(0, BINS));
}

/** Rows = all leading dims, cols = last dim; each pixel is the mean of its block. */
function downsample(t: Tensor): NonNullable<Summary['image']> {
  const cols = t.shape[t.ndim - 1];
  const rows = t.size / cols;
  const r = Math.min(rows, IMAGE_MAX), c = Math.min(cols, IMAGE_MAX);
  const acc = new Float64Array(r * c), cnt = new Float64Array(r * c);
  const colBlock = new Int32Array(cols);
  for (let j = 0; j < cols; j++) colBlock[j] = Math.floor((j * c) / cols);
  const d = t.data;
  for (let i = 0; i < rows; i++) {
    const ri = Math.floor((i * r) / rows) * c;
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = d[base + j];
      if (v - v !== 0) continue; // NaN or ±Infinity
      const k = ri + colBlock[j];
      acc[k] += v;
      cnt[k]++;
    }
  }
  const data = Array.from(acc, (v, k) => (cnt[k] ? Math.fround(v / cnt[k]) : 0));
  return { rows: r, cols: c, data };
}

/** Max abs and relative difference between a hand-written gradient and the engine's. */
export function difference(user: Tensor, engine: Tensor): { maxAbs: number; maxRel: number } {
  // Relative to the gradient's scale, not per element: near-zero entries would make any
  // float32 rounding look like a mismatch.
  let maxAbs = 0, scale = 0;
  for (let i = 0; i < user.size; i++) {
    const diff = Math.abs(user.data[i] - engine.data[i]);
    if (Number.isNaN(diff)) return { maxAbs: NaN, maxRel: NaN };
    maxAbs = Math.max(maxAbs, diff);
    scale = Math.max(scale, Math.abs(engine.data[i]));
  }
  return { maxAbs, maxRel: maxAbs / Math.max(scale, 1e-30) };
}
