// The synchronous API the Python `torch` shim calls (registered as the `_gradlens_bridge` module).
// Arguments are primitives or the engine's own objects (Refs come back unwrapped), so a call costs
// a few µs: params travel as one JSON string, source locations as an interned id, shapes as text.
import type { SourceLoc } from '../shared/trace';
import {
  backend, Node, Ref, Session, Tensor, memory, numel, UnsupportedError, ShapeError, type DType, type Params,
} from '../engine';
import { defaultGenerator, DEFAULT_SEED, Generator } from '../engine/random';
import { formatTensor } from './format';

/** A Python list or tuple as JS sees it (a PyProxy). */
interface PySeq { toJs(options?: { depth?: number }): unknown[] }
/** Python `bytes` converted with pyodide.ffi.to_js. */
type Bytes = Uint8Array;

interface InternedLoc extends SourceLoc {
  /** [line, variable] for each statement on the stack that assigns a variable. */
  labels?: [number, string][];
}

const parse = (params: string | undefined | null): Params => (params ? JSON.parse(params) as Params : {});
const shapeOf = (json: string): number[] => JSON.parse(json) as number[];

export class Bridge {
  session = new Session();
  private locs: InternedLoc[] = [];
  /** The last node each labelled statement produced: at most one per line, so loops stay bounded. */
  private lastAtLine = new Map<number, { node: Node; name: string }>();
  /** The node a Ref had when the last backward() ran, for Refs updated in place since (optimizer steps). */
  private atBackward = new WeakMap<Ref, { node: Node; epoch: number }>();
  private epoch = 0;
  /** Set by the Python runner at the end of a run. */
  result: { error: string | null; loss: Ref | null } = { error: null, loss: null };
  /** Set by the worker: stops interrupts from reaching Python (called once the model file is done). */
  onModelDone: () => void = () => {};

  private made_ = 0;

  /** Whether this run created any tensor (for the "nothing to trace" message). */
  madeTensors(): boolean { return this.made_ > 0; }

  reset(limitBytes: number): void {
    this.made_ = 0;
    this.session = new Session();
    this.locs = [];
    this.lastAtLine.clear();
    this.atBackward = new WeakMap();
    this.epoch = 0;
    this.result = { error: null, loss: null };
    memory.limitBytes = limitBytes;
    defaultGenerator.manualSeed(DEFAULT_SEED);
    backend().release?.(); // the last run's biggest matmul operand, kept in wasm memory
  }

  // ---- source locations ------------------------------------------------------------------------

  loc(line: number, column: number, func: string, stack: string, labels: string): number {
    const l: InternedLoc = { line, column, func, stack: JSON.parse(stack) as string[] };
    const lab = JSON.parse(labels) as [number, string][];
    if (lab.length) Object.defineProperty(l, 'labels', { value: lab, enumerable: false });
    this.locs.push(l);
    return this.locs.length - 1;
  }

  private at(loc: number | undefined | null): SourceLoc | null {
    return loc === undefined || loc === null || loc < 0 ? null : this.locs[loc];
  }

  private made(ref: Ref, loc: number | undefined | null): Ref {
    this.made_++;
    const l = loc === undefined || loc === null || loc < 0 ? null : this.locs[loc];
    if (l?.labels) for (const [line, name] of l.labels) this.lastAtLine.set(line, { node: ref.node, name });
    return ref;
  }

  // ---- making tensors --------------------------------------------------------------------------

  scalar(value: number, dtype: DType, loc?: number): Ref {
    return this.session.leaf(Tensor.scalar(value, dtype), false, this.at(loc), { value });
  }

  /** zeros/ones/full/empty: `fill` is the value. */
  full(shape: string, value: number, dtype: DType, requiresGrad: boolean, loc?: number): Ref {
    return this.made(this.session.leaf(Tensor.full(shapeOf(shape), value, dtype), requiresGrad, this.at(loc)), loc);
  }

  /** randn/rand/randint/randperm/normal from the PyTorch-identical generator. */
  random(kind: string, shape: string, a: number, b: number, dtype: DType, requiresGrad: boolean, loc?: number): Ref {
    const s = shapeOf(shape);
    const n = numel(s);
    memory.charge(n * 4);
    const g = defaultGenerator;
    let t: Tensor;
    switch (kind) {
      case 'randn': t = new Tensor(s, 'float32', g.randn(n)); break;
      case 'rand': t = new Tensor(s, 'float32', g.rand(n)); break;
      case 'normal': { const d = new Float32Array(n); g.normal_(d, a, b); t = new Tensor(s, 'float32', d); break; }
      case 'uniform': { const d = new Float32Array(n); g.uniform_(d, a, b); t = new Tensor(s, 'float32', d); break; }
      case 'randint': t = new Tensor(s, 'int64', g.randint(a, b, n)); break;
      case 'randperm': t = new Tensor([a], 'int64', g.randperm(a)); break;
      default: throw new UnsupportedError(`torch.${kind} is not supported by Gradlens yet`);
    }
    if (dtype !== t.dtype) t = t.to(dtype);
    return this.made(this.session.leaf(t, requiresGrad, this.at(loc), { init: kind }), loc);
  }

  /** `torch.empty((), dtype=torch.int64).random_()`: one random64() draw, as DataLoader and RandomSampler seed. */
  seedDraw(): string {
    return (defaultGenerator.random64() % (1n << 63n)).toString();
  }

  /** RandomSampler: randperm(n) from a private generator seeded by one draw of the default one. */
  samplerPerm(n: number, loc?: number): Ref {
    const g = new Generator(BigInt(this.seedDraw()));
    return this.made(this.session.leaf(new Tensor([n], 'int64', g.randperm(n)), false, this.at(loc)), loc);
  }

  manualSeed(seed: string): void { defaultGenerator.manualSeed(BigInt(seed)); }
  initialSeed(): string { return defaultGenerator.initialSeed().toString(); }

  /** F.dropout's scaled keep-mask (1/(1-p) or 0), drawn as PyTorch draws it. */
  dropoutMask(like: Ref, p: number, loc?: number): Ref {
    const n = like.value.size;
    memory.charge(n * 4);
    const t = new Tensor([...like.value.shape], 'float32', defaultGenerator.dropoutMask(n, p));
    return this.made(this.session.leaf(t, false, this.at(loc), { p }), loc);
  }

  /** nn.Linear's kaiming-uniform weight and bias, consuming the generator as PyTorch does. */
  linear(inFeatures: number, outFeatures: number, bias: boolean, loc?: number): Ref[] {
    const init = defaultGenerator.linearInit(inFeatures, outFeatures, bias);
    this.made_++;
    const w = this.session.leaf(new Tensor([outFeatures, inFeatures], 'float32', init.weight), true, this.at(loc), { init: 'kaiming_uniform' });
    const out = [w];
    if (init.bias) out.push(this.session.leaf(new Tensor([outFeatures], 'float32', init.bias), true, this.at(loc), { init: 'uniform' }));
    return out;
  }

  /** In-place re-initialisation (nn.init.*_, tensor.normal_/uniform_): a fresh value, same tensor. */
  fillRandom(target: Ref, kind: string, a: number, b: number, loc?: number): Ref {
    const shape = JSON.stringify(target.value.shape);
    const fresh = this.random(kind, shape, a, b, target.value.dtype, false, loc);
    return this.overwrite(target, fresh, 'init_' + kind, loc);
  }

  arange(start: number, end: number, step: number, dtype: DType, requiresGrad: boolean, loc?: number): Ref {
    if (step === 0) throw new ShapeError('step must be nonzero');
    const n = Math.max(0, Math.ceil((end - start) / step));
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = start + i * step;
    return this.made(this.session.leaf(Tensor.from(d, [n], dtype), requiresGrad, this.at(loc), { start, end, step }), loc);
  }

  linspace(start: number, end: number, steps: number, requiresGrad: boolean, loc?: number): Ref {
    const d = new Float64Array(steps);
    const step = steps > 1 ? (end - start) / (steps - 1) : 0;
    // PyTorch fills the second half from the end so the last value is exact.
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) d[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
    return this.made(this.session.leaf(Tensor.from(d, [steps], 'float32'), requiresGrad, this.at(loc)), loc);
  }

  /** A small literal: `torch.tensor([[1, 2], [3, 4]])`, flattened by Python and sent as JSON. */
  literal(values: string, shape: string, dtype: DType, requiresGrad: boolean, loc?: number): Ref {
    const v = JSON.parse(values) as (number | boolean | null)[];
    const nums = v.map((x) => (x === null ? NaN : typeof x === 'boolean' ? +x : x));
    return this.made(this.session.leaf(Tensor.from(nums, shapeOf(shape), dtype), requiresGrad, this.at(loc)), loc);
  }

  /** torch.tensor(t) / torch.tensor(ndarray): a new leaf over the same immutable values. */
  copyLeaf(src: Ref, dtype: string, requiresGrad: boolean, loc?: number): Ref {
    const value = dtype ? src.value.to(dtype as DType) : src.value;
    return this.made(this.session.leaf(value, requiresGrad, this.at(loc)), loc);
  }

  /** Raw little-endian bytes (numpy arrays from pickle/.npy): one copy, never a Python list. */
  fromBytes(bytes: Bytes, shape: string, source: string, loc?: number): Ref {
    const s = shapeOf(shape);
    const n = numel(s);
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const view = new DataView(buf);
    let t: Tensor;
    const want = (size: number) => {
      if (bytes.byteLength < n * size) throw new ShapeError(`array data of ${bytes.byteLength} bytes is too short for shape [${s.join(', ')}] of ${source}`);
    };
    switch (source) {
      case 'f4': want(4); memory.charge(n * 4); t = new Tensor(s, 'float32', new Float32Array(buf, 0, n)); break;
      case 'f8': { want(8); const d = Tensor.zeros(s, 'float32').data; for (let i = 0; i < n; i++) d[i] = view.getFloat64(i * 8, true); t = new Tensor(s, 'float32', d); break; }
      case 'f2': { want(2); const d = Tensor.zeros(s, 'float32').data; for (let i = 0; i < n; i++) d[i] = half(view.getUint16(i * 2, true)); t = new Tensor(s, 'float32', d); break; }
      case 'i8': case 'u8': { want(8); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = Number(view.getBigInt64(i * 8, true)); t = new Tensor(s, 'int64', d); break; }
      case 'i4': { want(4); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = view.getInt32(i * 4, true); t = new Tensor(s, 'int64', d); break; }
      case 'u4': { want(4); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = view.getUint32(i * 4, true); t = new Tensor(s, 'int64', d); break; }
      case 'i2': { want(2); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = view.getInt16(i * 2, true); t = new Tensor(s, 'int64', d); break; }
      case 'u2': { want(2); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = view.getUint16(i * 2, true); t = new Tensor(s, 'int64', d); break; }
      case 'i1': { want(1); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = view.getInt8(i); t = new Tensor(s, 'int64', d); break; }
      case 'u1': { want(1); const d = Tensor.zeros(s, 'int64').data; for (let i = 0; i < n; i++) d[i] = bytes[i]; t = new Tensor(s, 'int64', d); break; }
      case 'b1': { want(1); const d = Tensor.zeros(s, 'bool').data; for (let i = 0; i < n; i++) d[i] = bytes[i] ? 1 : 0; t = new Tensor(s, 'bool', d); break; }
      default: throw new UnsupportedError(`numpy arrays of dtype '${source}' are not supported by Gradlens yet`);
    }
    return this.made(this.session.leaf(t, false, this.at(loc)), loc);
  }

  /** Row-major bytes of a tensor in its numpy dtype (for .numpy()/np.save). */
  toBytes(ref: Ref): Uint8Array {
    const t = ref.value;
    if (t.dtype === 'int64') {
      const out = new BigInt64Array(t.size);
      for (let i = 0; i < t.size; i++) out[i] = BigInt(t.data[i]);
      return new Uint8Array(out.buffer);
    }
    // slice() copies into a plain ArrayBuffer even when the data is shared (a big matmul's result).
    return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  }

  // ---- ops -------------------------------------------------------------------------------------

  op(name: string, a: Ref, b: Ref | undefined | null, params: string | undefined | null, loc?: number): Ref {
    const inputs = b ? [a, b] : [a];
    return this.made(this.session.op(name, inputs, parse(params), this.at(loc)), loc);
  }

  /** `x * 2.0`, `1 - x`: the Python number becomes a 0-d leaf and the op runs, in one call. */
  opScalar(name: string, a: Ref, value: number, dtype: DType, reversed: boolean, params: string | undefined | null, loc?: number): Ref {
    const s = this.session.leaf(Tensor.scalar(value, dtype), false, this.at(loc), { value });
    return this.made(this.session.op(name, reversed ? [s, a] : [a, s], parse(params), this.at(loc)), loc);
  }

  op3(name: string, a: Ref, b: Ref, c: Ref, params: string | undefined | null, loc?: number): Ref {
    return this.made(this.session.op(name, [a, b, c], parse(params), this.at(loc)), loc);
  }

  opN(name: string, refs: PySeq, params: string | undefined | null, loc?: number): Ref {
    const inputs = refs.toJs({ depth: 1 }) as Ref[];
    return this.made(this.session.op(name, inputs, parse(params), this.at(loc)), loc);
  }

  /** `x op= y`, `x[i] = v`: the target Ref is rebound (see Session.inplace). */
  inplace(target: Ref, name: string, others: PySeq, params: string | undefined | null, loc?: number): Ref {
    this.remember(target);
    const refs = others.toJs({ depth: 1 }) as Ref[];
    return this.made(this.session.inplace(target, name, refs, parse(params), this.at(loc)), loc);
  }

  overwrite(target: Ref, src: Ref, how: string, loc?: number): Ref {
    this.remember(target);
    return this.made(this.session.overwrite(target, src.value, this.at(loc), how), loc);
  }

  fill(target: Ref, value: number, loc?: number): Ref {
    return this.overwrite(target, { value: Tensor.scalar(value, target.value.dtype) } as Ref, value === 0 ? 'zero_' : 'fill_', loc);
  }

  private remember(ref: Ref): void {
    const seen = this.atBackward.get(ref);
    if (!seen || seen.epoch !== this.epoch) this.atBackward.set(ref, { node: ref.node, epoch: this.epoch });
  }

  detach(ref: Ref, loc?: number): Ref { return this.made(this.session.detach(ref, this.at(loc)), loc); }

  backward(ref: Ref, gradient: Ref | undefined | null): void {
    this.session.backward(ref, gradient ?? null);
    this.epoch++;
  }

  // ---- reading tensors -------------------------------------------------------------------------

  /** "2,3|float32|1" : shape, dtype, requires_grad (one call instead of three). */
  meta(ref: Ref): string {
    const v = ref.value;
    return `${v.shape.join(',')}|${v.dtype}|${ref.node.requiresGrad ? 1 : 0}`;
  }

  shape(ref: Ref): string { return ref.value.shape.join(','); }
  dtype(ref: Ref): string { return ref.value.dtype; }
  item(ref: Ref): number { return ref.value.item(); }
  /** Element i of the flat data (bool(), int() of one element). */
  at1(ref: Ref, i: number): number { return ref.value.data[i]; }
  requiresGrad(ref: Ref): boolean { return ref.node.requiresGrad; }
  isLeaf(ref: Ref): boolean { return ref.node.isLeaf; }
  hasGradFn(ref: Ref): string { return ref.node.isLeaf ? '' : ref.node.op; }
  same(a: Ref, b: Ref): boolean { return a.node === b.node; }

  tolist(ref: Ref): string {
    const t = ref.value;
    if (t.size > 5e6) throw new UnsupportedError(`tolist() of ${t.size} elements is too large for Gradlens`);
    // JSON has no NaN/inf: those travel as strings Python's float() reads.
    return JSON.stringify(Array.from(t.data, (x) => (Number.isFinite(x) ? x : String(x))));
  }

  repr(ref: Ref, name: string): string {
    return formatTensor(ref.value, ref.node, name);
  }

  grad(ref: Ref): Ref | null { return ref.node.grad; }
  setGrad(ref: Ref, g: Ref | undefined | null): void { ref.node.grad = g ?? null; }
  setRequiresGrad(ref: Ref, flag: boolean): void { this.session.setRequiresGrad(ref, flag); }
  retainGrad(ref: Ref): void { this.session.retainGrad(ref); }
  setUserGrad(ref: Ref, g: Ref | undefined | null): void { this.session.setUserGrad(ref, g ?? null); }
  setGradEnabled(flag: boolean): boolean {
    const was = this.session.gradEnabled;
    this.session.gradEnabled = flag;
    return was;
  }
  gradEnabled(): boolean { return this.session.gradEnabled; }

  /** Memory of this process after a full GC when node runs with --expose-gc (benchmarks, leak checks). */
  memoryMB(): string {
    const g = (globalThis as { gc?: () => void }).gc;
    if (g) g();
    const m = process.memoryUsage();
    const mb = (b: number) => Math.round(b / 2 ** 20);
    const py = (globalThis as { gradlensPyHeapBytes?: () => number }).gradlensPyHeapBytes?.() ?? 0;
    return JSON.stringify({ rss: mb(m.rss), heap: mb(m.heapUsed), arrayBuffers: mb(m.arrayBuffers), external: mb(m.external), pyodideHeap: mb(py) });
  }

  // ---- the end of a run ------------------------------------------------------------------------

  addName(ref: Ref, path: string): void {
    this.session.addName(ref, path);
    const before = this.atBackward.get(ref);
    // Named parameters updated after the last backward() (an optimizer step) keep their name on the
    // node the root's graph used.
    if (before && before.epoch === this.epoch && before.node !== ref.node) {
      this.session.addName({ node: before.node } as Ref, path);
    }
  }

  /**
   * The model file has finished (or was stopped): a cancel or timeout is signalled until the run
   * answers, and a repeat must not land in the runner's own clean-up.
   */
  modelDone(): void {
    this.onModelDone();
  }

  setResult(error: string | null | undefined, loss: Ref | null | undefined): void {
    this.result = { error: error ?? null, loss: loss ?? null };
  }

  /** Labels from assignments: the last node each `name = …` statement produced. */
  applyLabels(): void {
    for (const { node, name } of this.lastAtLine.values()) this.session.setLabel({ node } as Ref, name);
  }
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
