// x[...] and x[...] = v: ints, slices, None, Ellipsis, integer tensors (lists, range) and boolean
// masks, with NumPy/PyTorch placement of advanced-index dims. Every form compiles to one gather
// map (output position → input offset): forward gathers, the VJP scatter-adds.
import { broadcastShapes, broadcastStrides } from '../broadcast';
import { IndexError, ShapeError } from '../errors';
import { broadcastTo, walk2 } from '../kernels/elementwise';
import { allocate, formatShape, numel, stridesOf, Tensor } from '../tensor';
import { defineOp, type Params } from './row';

export type IndexItem =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start?: number | null; stop?: number | null; step?: number | null }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; input: number };

export interface IndexParams extends Params { items: IndexItem[] }

interface Axis { shape: number[]; offsets: Float64Array }

/** The gather map for `x[items]`, and the result shape. */
export function gatherMap(x: Tensor, items: IndexItem[], inputs: readonly Tensor[]): { shape: number[]; map: Float64Array } {
  const strides = stridesOf(x.shape);
  const expanded = expandEllipsis(items, inputs, x.ndim);
  const hasTensor = expanded.some((it) => it.kind === 'tensor');
  const axes: Axis[] = [];
  const adv: { dims: number[]; values: Tensor[] }[] = [];
  let advAt = -1, advContiguous = true, lastAdvItem = -2;
  let base = 0, dim = 0;
  expanded.forEach((it, k) => {
    const isAdv = it.kind === 'tensor' || (hasTensor && it.kind === 'int');
    if (isAdv) {
      if (advAt < 0) advAt = axes.length;
      else if (lastAdvItem !== k - 1) advContiguous = false;
      lastAdvItem = k;
    }
    if (it.kind === 'none') { axes.push({ shape: [1], offsets: new Float64Array(1) }); return; }
    if (it.kind === 'int') {
      const i = wrap(it.value, x.shape[dim], dim);
      if (hasTensor) adv.push({ dims: [dim], values: [Tensor.scalar(i, 'int64')] });
      else base += i * strides[dim];
      dim++;
      return;
    }
    if (it.kind === 'slice') {
      const [start, , step, len] = sliceRange(it, x.shape[dim]);
      const offsets = new Float64Array(len);
      for (let i = 0; i < len; i++) offsets[i] = (start + i * step) * strides[dim];
      axes.push({ shape: [len], offsets });
      dim++;
      return;
    }
    if (it.kind === 'tensor') {
      const t = inputs[it.input];
      if (t.dtype === 'bool') {
        const dims = [...Array(t.ndim).keys()].map((i) => dim + i);
        dims.forEach((d, i) => {
          if (x.shape[d] !== t.shape[i]) throw new IndexError(`The shape of the mask ${formatShape(t.shape)} at index ${i} does not match the shape of the indexed tensor ${formatShape(x.shape)} at index ${d}`);
        });
        adv.push({ dims, values: nonzero(t) });
        dim += t.ndim;
      } else {
        if (t.dtype !== 'int64') throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
        adv.push({ dims: [dim], values: [t] });
        dim++;
      }
    }
  });
  for (; dim < x.ndim; dim++) {
    const offsets = new Float64Array(x.shape[dim]);
    for (let i = 0; i < offsets.length; i++) offsets[i] = i * strides[dim];
    axes.push({ shape: [x.shape[dim]], offsets });
  }
  if (adv.length) {
    const block = advancedBlock(adv, x.shape, strides);
    axes.splice(advContiguous ? advAt : 0, 0, block);
  }
  return { shape: axes.flatMap((a) => a.shape), map: combine(axes, base) };
}

function expandEllipsis(items: IndexItem[], inputs: readonly Tensor[], ndim: number): IndexItem[] {
  const consumes = (it: IndexItem) => (it.kind === 'int' || it.kind === 'slice' ? 1
    : it.kind === 'tensor' ? (inputs[it.input].dtype === 'bool' ? inputs[it.input].ndim : 1) : 0);
  const used = items.reduce((n, it) => n + consumes(it), 0);
  if (used > ndim) throw new IndexError(`too many indices for tensor of dimension ${ndim}`);
  const at = items.findIndex((it) => it.kind === 'ellipsis');
  if (at < 0) return items;
  if (items.findIndex((it, i) => i > at && it.kind === 'ellipsis') >= 0) throw new IndexError('an index can only have a single ellipsis');
  const fill: IndexItem[] = Array.from({ length: ndim - used }, () => ({ kind: 'slice' }));
  return [...items.slice(0, at), ...fill, ...items.slice(at + 1)];
}

function wrap(i: number, size: number, dim: number): number {
  if (i < -size || i >= size) throw new IndexError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

/** Python slice semantics: [start, stop, step, length]. */
export function sliceRange(s: { start?: number | null; stop?: number | null; step?: number | null }, size: number): [number, number, number, number] {
  const step = s.step ?? 1;
  if (step <= 0) throw new ShapeError('step must be greater than zero');
  const clampTo = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const start = s.start === null || s.start === undefined ? 0 : clampTo(s.start);
  const stop = s.stop === null || s.stop === undefined ? size : clampTo(s.stop);
  return [start, stop, step, Math.max(0, Math.ceil((stop - start) / step))];
}

function nonzero(mask: Tensor): Tensor[] {
  let count = 0;
  for (let i = 0; i < mask.size; i++) if (mask.data[i]) count++;
  const cols = mask.shape.map(() => allocate('int64', count));
  const strides = stridesOf(mask.shape);
  let k = 0;
  for (let i = 0; i < mask.size; i++) {
    if (!mask.data[i]) continue;
    let rem = i;
    strides.forEach((s, d) => { cols[d][k] = Math.floor(rem / s); rem %= s; });
    k++;
  }
  return cols.map((c) => new Tensor([count], 'int64', c));
}

function advancedBlock(adv: { dims: number[]; values: Tensor[] }[], shape: readonly number[], strides: number[]): Axis {
  const all = adv.flatMap((a) => a.values.map((v, i) => ({ v, dim: a.dims[i] })));
  let bshape: number[] = [];
  try {
    bshape = all.reduce<number[]>((s, { v }) => broadcastShapes(s, v.shape), []);
  } catch {
    throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${all.map(({ v }) => formatShape(v.shape)).join(', ')}`);
  }
  const offsets = new Float64Array(numel(bshape));
  for (const { v, dim } of all) {
    const b = broadcastTo(v, bshape);
    for (let i = 0; i < offsets.length; i++) offsets[i] += wrap(b.data[i], shape[dim], dim) * strides[dim];
  }
  return { shape: bshape, offsets };
}

function combine(axes: Axis[], base: number): Float64Array {
  let map = Float64Array.of(base);
  for (const axis of axes) {
    const next = new Float64Array(map.length * axis.offsets.length);
    let k = 0;
    for (let i = 0; i < map.length; i++) for (let j = 0; j < axis.offsets.length; j++) next[k++] = map[i] + axis.offsets[j];
    map = next;
  }
  return map;
}

/**
 * x[items] when it is one contiguous run of x's data (ints, then a slice of step 1, then whole
 * dims: `x_train[i:i + bs]`, `x[3]`, `x[:, None]`): where the run starts and the result's shape.
 */
function contiguousRun(x: Tensor, items: IndexItem[], inputs: readonly Tensor[]): { start: number; shape: number[] } | null {
  if (items.some((it) => it.kind === 'tensor')) return null;
  const strides = stridesOf(x.shape);
  const shape: number[] = [];
  // Once a dim keeps more than one position, every later dim must be whole.
  let start = 0, dim = 0, opened = false;
  for (const it of expandEllipsis(items, inputs, x.ndim)) {
    if (it.kind === 'none') { shape.push(1); continue; }
    if (dim >= x.ndim || (it.kind !== 'int' && it.kind !== 'slice')) return null;
    const size = x.shape[dim];
    if (it.kind === 'int') {
      if (opened || it.value < -size || it.value >= size) return null;
      start += (it.value < 0 ? it.value + size : it.value) * strides[dim];
    } else {
      const [first, , step, len] = sliceRange(it, size);
      const whole = first === 0 && len === size && (step === 1 || size <= 1);
      if (opened ? !whole : len > 1 && step !== 1) return null;
      opened ||= len > 1;
      start += first * strides[dim];
      shape.push(len);
    }
    dim++;
  }
  return { start, shape: [...shape, ...x.shape.slice(dim)] };
}

function gather(x: Tensor, items: IndexItem[], inputs: readonly Tensor[]): Tensor {
  const run = contiguousRun(x, items, inputs);
  if (run) {
    const out = allocate(x.dtype, numel(run.shape));
    out.set(x.data.subarray(run.start, run.start + out.length));
    return new Tensor(run.shape, x.dtype, out);
  }
  const { shape, map } = gatherMap(x, items, inputs);
  const out = allocate(x.dtype, map.length);
  for (let i = 0; i < map.length; i++) out[i] = x.data[map[i]];
  return new Tensor(shape, x.dtype, out);
}

/** Where `value` lands in x[items] = value, broadcast to the indexed shape. */
function putValues(x: Tensor, value: Tensor, items: IndexItem[], inputs: readonly Tensor[]): { map: Float64Array; v: Tensor } {
  const { shape, map } = gatherMap(x, items, inputs);
  try {
    broadcastShapes(value.shape, shape);
  } catch {
    throw new ShapeError(`shape mismatch: value tensor of shape ${formatShape(value.shape)} cannot be broadcast to indexing result of shape ${formatShape(shape)}`);
  }
  const v = Tensor.zeros(shape, value.dtype);
  walk2(shape, broadcastStrides(value.shape, shape), new Array(shape.length).fill(0), (o, ia) => { v.data[o] = value.data[ia]; });
  return { map, v };
}

export const indexingOps = [
  defineOp<IndexParams>({
    name: 'index', inputNames: ['a'], differentiable: true, nonDifferentiableInputs: [],
    formulas: ['zeros(a.shape) with grad scatter-added at the indexed positions'],
    forward: (inputs, { items }) => gather(inputs[0], items, inputs),
    vjps: [({ grad, inputs, params: { items } }) => {
      const x = inputs[0];
      const { map } = gatherMap(x, items, inputs);
      const out = allocate('float32', x.size);
      for (let i = 0; i < map.length; i++) out[map[i]] += grad.data[i];
      return new Tensor([...x.shape], 'float32', out);
    }],
  }),
  defineOp<IndexParams>({
    name: 'index_put', inputNames: ['a', 'value'], differentiable: true,
    formulas: ['grad with zeros at the assigned positions', 'grad[indexed positions]'],
    forward: (inputs, { items }) => {
      const [x, value] = inputs;
      const { map, v } = putValues(x, value, items, inputs);
      const out = x.data.slice();
      for (let i = 0; i < map.length; i++) out[map[i]] = v.data[i];
      return new Tensor([...x.shape], x.dtype, out);
    },
    vjps: [
      ({ grad, inputs, params: { items } }) => {
        const { map } = gatherMap(inputs[0], items, inputs);
        const out = grad.data.slice();
        for (let i = 0; i < map.length; i++) out[map[i]] = 0;
        return new Tensor([...grad.shape], 'float32', out);
      },
      ({ grad, inputs, params: { items } }) => gather(grad, items, inputs),
    ],
  }),
];
