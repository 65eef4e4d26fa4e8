// PyTorch's broadcasting rules, with PyTorch's error wording, and the one place where a broadcast
// gradient is summed back to its input's shape.
import { ShapeError } from './errors';

export function broadcastShapes(a: readonly number[], b: readonly number[], op?: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op ? op + ': ' : ''}The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}` +
        ` (shapes (${a.join(', ')}) and (${b.join(', ')}))`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Dims of `from` (numbered in `from`) that must be summed to reach `to`; `to` broadcasts to `from`. */
export function reducedDims(from: readonly number[], to: readonly number[]): number[] {
  const lead = from.length - to.length;
  const dims: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (i < lead) dims.push(i);
    else if (to[i - lead] === 1 && from[i] !== 1) dims.push(i);
  }
  return dims;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Strides of `shape` seen from the broadcast shape `out`: 0 where `shape` is broadcast. */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const s = new Array<number>(out.length).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = out.length - shape.length + i;
    s[o] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * The same walk over fewer dims: size-1 dims dropped, and each dim merged into the one before it
 * where both strided inputs step through the pair as one run (e.g. (256,784,1)·(256,1,50) stays
 * 3-D, but a bias add (N,50)+(50) keeps rows of 50 and (N,4,5)+(N,4,5) becomes one run).
 */
export function coalesce(shape: readonly number[], sa: readonly number[], sb: readonly number[]): { shape: number[]; sa: number[]; sb: number[] } {
  const out: number[] = [], a: number[] = [], b: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = out.length - 1;
    if (k >= 0 && a[k] === sa[d] * shape[d] && b[k] === sb[d] * shape[d]) {
      out[k] *= shape[d]; a[k] = sa[d]; b[k] = sb[d];
    } else {
      out.push(shape[d]); a.push(sa[d]); b.push(sb[d]);
    }
  }
  return { shape: out, sa: a, sb: b };
}
