// What travels in a trace instead of a whole tensor: stats, a histogram, a downsampled image,
// the first values — and every value for small tensors or with --full.
import { TRACE_INLINE_LIMIT, type Summary } from '../shared/trace';
import { CHUNK, type Tensor } from './tensor';

const HEAD = 16;
const BINS = 24;
const IMAGE_MAX = 64;

export function summarize(t: Tensor, full = false): Summary {
  const d = t.data;
  const n = t.size;
  const first = moments(d);
  const { min, max, mean, finite, nonFinite } = first;
  const cols = t.ndim >= 2 ? t.shape[t.ndim - 1] : Math.max(n, 1);
  const rows = n / cols;
  const wantImage = t.ndim >= 2 && n > 1;
  const image = { rows: Math.min(rows, IMAGE_MAX), cols: wantImage ? Math.min(cols, IMAGE_MAX) : 1 };
  const second = spread(d, rows, cols, min, max, image.rows, image.cols);
  const s: Summary = {
    min: finite ? min : NaN, max: finite ? max : NaN, mean,
    std: finite > 1 ? Math.sqrt(first.squaredDeviations / (finite - 1)) : 0,
    absMean: finite ? first.absSum / finite : NaN,
  };
  if (nonFinite) s.nonFinite = nonFinite;
  if (full || n <= TRACE_INLINE_LIMIT) s.data = Array.from(d);
  else s.head = Array.from(d.subarray(0, HEAD));
  if (n > 1 && finite) s.histogram = Array.from(second.bins);
  if (second.rowStep > 1) s.sampledEveryRows = second.rowStep;
  if (wantImage) s.image = { ...image, data: blockMeans(second.blockSum, second.blockCount) };
  return s;
}

/**
 * The picture's block means to 7 significant digits of its largest magnitude (float32 carries ~7):
 * the JSON then holds "0.1234567" rather than the 17 digits of a double, and a trace is ~2× smaller,
 * which is most of the time it takes to reach the webview.
 */
function blockMeans(sum: Float64Array, count: Float64Array): number[] {
  const means = new Array<number>(sum.length);
  let largest = 0;
  for (let k = 0; k < sum.length; k++) {
    const v = count[k] ? sum[k] / count[k] : 0;
    means[k] = v;
    if (Math.abs(v) > largest) largest = Math.abs(v);
  }
  if (!(largest > 0) || !Number.isFinite(largest)) return means;
  const digits = 6 - Math.floor(Math.log10(largest));
  if (Math.abs(digits) > 22) return means; // powers of ten beyond 1e22 are not exact
  // An integer divided by an exact power of ten is the double nearest the decimal: it prints short.
  const p = 10 ** Math.abs(digits);
  for (let k = 0; k < means.length; k++) means[k] = digits > 0 ? Math.round(means[k] * p) / p : Math.round(means[k] / p) * p;
  return means;
}


function moments(d: Tensor['data']) {
  // min, max, Σ|v|, non-finite count, then Σ(v - shift) and Σ(v - shift)² for the mean and the
  // variance in the same pass: the shift (a value of the tensor) keeps the sums from cancelling.
  let shift = 0;
  for (const v of d.subarray(0, 64)) if (v - v === 0) { shift = v; break; }
  const acc = Float64Array.of(Infinity, -Infinity, 0, 0, 0, 0);
  for (let a = 0; a < d.length; a += CHUNK) momentsOf(d, shift, a, Math.min(a + CHUNK, d.length), acc);
  const [min, max, absSum, nonFinite, shifted, shiftedSquares] = acc;
  const finite = d.length - nonFinite;
  const mean = finite ? shift + shifted / finite : NaN;
  const squaredDeviations = Math.max(0, shiftedSquares - (finite ? (shifted * shifted) / finite : 0));
  return { min, max, mean, absSum, squaredDeviations, finite, nonFinite };
}

// Two elements a step with their own sums: the float64 adds are a dependency chain otherwise.
// A non-finite pair leaves the paired loop; the single loop counts it and goes on.
function momentsOf(d: Tensor['data'], shift: number, from: number, to: number, acc: Float64Array): void {
  let min = acc[0], max = acc[1], nonFinite = acc[3];
  let abs0 = 0, abs1 = 0, sum0 = 0, sum1 = 0, sq0 = 0, sq1 = 0;
  let i = from;
  while (i < to) {
    for (; i + 1 < to; i += 2) {
      const v = d[i], w = d[i + 1];
      if (v - v !== 0 || w - w !== 0) break; // NaN or ±Infinity
      if (v < min) min = v;
      if (v > max) max = v;
      if (w < min) min = w;
      if (w > max) max = w;
      abs0 += Math.abs(v); abs1 += Math.abs(w);
      const e = v - shift, f = w - shift;
      sum0 += e; sum1 += f;
      sq0 += e * e; sq1 += f * f;
    }
    for (const end = Math.min(i + 2, to); i < end; i++) {
      const v = d[i];
      if (v - v !== 0) { nonFinite++; continue; }
      if (v < min) min = v;
      if (v > max) max = v;
      abs0 += Math.abs(v);
      const e = v - shift;
      sum0 += e; sq0 += e * e;
    }
  }
  acc[0] = min; acc[1] = max; acc[2] += abs0 + abs1; acc[3] = nonFinite; acc[4] += sum0 + sum1; acc[5] += sq0 + sq1;
}

/** Above this many elements the histogram and the picture are drawn from every k-th row. */
const PICTURE_ELEMENTS = 1 << 21;

/**
 * A histogram over [min, max] and block means of the (rows × cols) picture downsampled to r × c.
 * Both increment small tables at data-dependent places (~10 ns an element), so big tensors are
 * sampled by rows; the stats above always see every element.
 */
function spread(d: Tensor['data'], rows: number, cols: number, min: number, max: number, r: number, c: number) {
  const bins = new Float64Array(BINS + 1);
  const scale = BINS / ((max - min) || 1);
  const blockSum = new Float64Array(r * c), blockCount = new Float64Array(r * c);
  const colBlock = new Int32Array(cols);
  for (let j = 0; j < cols; j++) colBlock[j] = Math.floor((j * c) / cols);
  // A long single row (1-D tensors) is cut into chunks, and strided when it is huge.
  const rowStep = Math.max(1, Math.ceil((rows * cols) / PICTURE_ELEMENTS));
  const colStep = rows === 1 ? rowStep : 1;
  const chunk = Math.min(cols, CHUNK);
  for (let i = 0; i < rows; i += rows === 1 ? 1 : rowStep) {
    const rowBlock = Math.floor((i * r) / rows) * c;
    for (let j = 0; j < cols; j += chunk) {
      spreadRow(d, i * cols, j, Math.min(j + chunk, cols), colStep, min, scale, bins, rowBlock, colBlock, blockSum, blockCount);
    }
  }
  bins[BINS - 1] += bins[BINS]; // the maximum itself lands one past the last bin
  return { bins: bins.subarray(0, BINS), blockSum, blockCount, rowStep };
}

function spreadRow(d: Tensor['data'], base: number, from: number, to: number, step: number, min: number, scale: number,
  bins: Float64Array, rowBlock: number, colBlock: Int32Array, blockSum: Float64Array, blockCount: Float64Array): void {
  for (let j = from; j < to; j += step) {
    const v = d[base + j];
    if (v - v !== 0) continue; // NaN or ±Infinity
    bins[((v - min) * scale) | 0]++;
    const k = rowBlock + colBlock[j];
    blockSum[k] += v;
    blockCount[k]++;
  }
}

/** Max abs and relative difference between a hand-written gradient and the engine's. */
export function difference(user: Tensor, engine: Tensor): { maxAbs: number; maxRel: number } {
  // Relative to the gradient's scale, not per element: near-zero entries would make any
  // float32 rounding look like a mismatch.
  const acc = Float64Array.of(0, 0); // max |user - engine|, max |engine|
  const u = user.data, e = engine.data;
  for (let a = 0; a < u.length; a += CHUNK) {
    if (!differenceOf(u, e, a, Math.min(a + CHUNK, u.length), acc)) return { maxAbs: NaN, maxRel: NaN };
  }
  return { maxAbs: acc[0], maxRel: acc[0] / Math.max(acc[1], 1e-30) };
}

function differenceOf(u: Tensor['data'], e: Tensor['data'], from: number, to: number, acc: Float64Array): boolean {
  let maxAbs = acc[0], scale = acc[1];
  for (let i = from; i < to; i++) {
    const diff = Math.abs(u[i] - e[i]);
    if (diff !== diff) return false; // NaN
    if (diff > maxAbs) maxAbs = diff;
    const m = Math.abs(e[i]);
    if (m > scale) scale = m;
  }
  acc[0] = maxAbs; acc[1] = scale;
  return true;
}
