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
