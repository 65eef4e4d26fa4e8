// A tensor value: shape, dtype and contiguous row-major data. Values are immutable once an op has
// produced them (in-place user ops rebind a Ref to a new value; see session.ts), so old graphs
// keep the numbers they were computed with.
import type { DType } from '../shared/trace';
import { IndexError, MemoryLimitError, ShapeError } from './errors';

export type { DType };
export type Data = Float32Array | Float64Array | Uint8Array;

/** int64 values are stored as float64: exact up to 2^53, far beyond any index we handle. */
export function allocate(dtype: DType, n: number): Data {
  memory.charge(n * bytesPer(dtype));
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'int64') return new Float64Array(n);
  return new Uint8Array(n);
}

/** PyTorch's name for a dtype in its messages ("Float did not match Long"). */
export function scalarTypeName(dtype: DType): string {
  return dtype === 'float32' ? 'Float' : dtype === 'int64' ? 'Long' : 'Bool';
}

export function bytesPer(dtype: DType): number {
  return dtype === 'float32' ? 4 : dtype === 'int64' ? 8 : 1;
}

/** The tensor-data cap. It applies to each allocation, not to the running total of live tensors. */
export const memory = {
  limitBytes: 4 * 1024 ** 3,
  charge(bytes: number): void {
    if (bytes > this.limitBytes) {
      throw new MemoryLimitError(
        `tensor of ${formatBytes(bytes)} exceeds Gradlens' memory limit of ${formatBytes(this.limitBytes)} (setting gradlens.memoryLimitMB)`);
    }
  },
};

function formatBytes(b: number): string {
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(1)} GB`;
  if (b >= 1024 ** 2) return `${(b / 1024 ** 2).toFixed(1)} MB`;
  return `${b} bytes`;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** `column` (I,K,1) times `row` (I,1,J), broadcast to (I,K,J): summed over I it is columnᵀ·row. */
export interface OuterProduct {
  column: Tensor;
  row: Tensor;
}

export class Tensor {
  readonly size: number;
  private stored: Data | null;
  /**
   * Set when this tensor is the 2-D transpose of another: matmul reads the source with a
   * transpose flag, so `x.t() @ g` never copies x. The data is made only if something else reads it.
   */
  readonly transposeOf: Tensor | null = null;
  /**
   * Set when this tensor is a big broadcast outer product (lesson 13's `(inp.unsqueeze(-1) *
   * out.g.unsqueeze(1)).sum(0)`): `sum(0)` contracts it as a matrix product, and its own data is
   * made only if something reads it.
   */
  readonly outerOf: OuterProduct | null = null;
  private readonly make: (() => Data) | null = null;

  constructor(readonly shape: readonly number[], readonly dtype: DType, data: Data | null, transposeOf?: Tensor,
    deferred?: { outerOf: OuterProduct; make: () => Data }) {
    this.size = numel(shape);
    this.stored = data;
    if (transposeOf) { this.transposeOf = transposeOf; this.make = () => materializeTranspose(transposeOf); }
    if (deferred) { this.outerOf = deferred.outerOf; this.make = deferred.make; }
    if (data && data.length !== this.size) {
      throw new ShapeError(`internal: data of length ${data.length} for shape ${formatShape(shape)}`);
    }
  }

  get data(): Data {
    this.stored ??= this.make!(); // only a view (transposeOf, outerOf) is made without data
    return this.stored;
  }

  /** The transpose of a 2-D tensor, as a view until its data is read. */
  static transposed(source: Tensor): Tensor {
    if (source.transposeOf) return source.transposeOf;
    return new Tensor([source.shape[1], source.shape[0]], source.dtype, null, source);
  }

  get ndim(): number { return this.shape.length; }

  static zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(shape);
    return new Tensor([...shape], dtype, allocate(dtype, numel(shape)));
  }

  static full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
    const t = Tensor.zeros(shape, dtype);
    if (value !== 0) t.data.fill(value);
    return t;
  }

  static scalar(value: number, dtype: DType = 'float32'): Tensor {
    return Tensor.full([], value, dtype);
  }

  static from(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(shape);
    if (values.length !== numel(shape)) {
      throw new ShapeError(`shape ${formatShape(shape)} is invalid for input of size ${values.length}`);
    }
    const data = allocate(dtype, values.length);
    // Integer-valued sources (bool, int64 storage) copy straight into int64 and float32.
    const integral = values instanceof Uint8Array || (values instanceof Float64Array && dtype === 'int64');
    if (dtype === 'bool') convert(data, values, toBool);
    else if (dtype === 'int64' && !integral) convert(data, values, Math.trunc);
    else data.set(values as ArrayLike<number>);
    return new Tensor([...shape], dtype, data);
  }

  /** Same data, converted to `dtype` (a copy unless the dtype already matches). */
  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    return Tensor.from(this.data, this.shape, dtype);
  }

  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(`a Tensor with ${this.size} elements cannot be converted to Scalar`);
    }
    return this.data[0];
  }

  /** A new shape over the same data (callers guarantee the element count matches). */
  withShape(shape: readonly number[]): Tensor {
    return new Tensor([...shape], this.dtype, this.data);
  }
}

/** Cache-blocked 2-D transpose: the lesson 13 backward transposes a 50000×784 input. */
function materializeTranspose(source: Tensor): Data {
  const [rows, cols] = source.shape;
  const out = allocate(source.dtype, source.size);
  const d = source.data;
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(r0 + B, rows);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(c0 + B, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = d[r * cols + c];
    }
  }
  return out;
}

const toBool = (v: number) => (v ? 1 : 0);

/** Loops over big tensors run in chunks: V8 optimises a hot function long before it replaces a running loop. */
export const CHUNK = 16384;

function convert(out: Data, values: ArrayLike<number>, fn: (v: number) => number): void {
  for (let a = 0; a < values.length; a += CHUNK) convertRange(out, values, fn, a, Math.min(a + CHUNK, values.length));
}

function convertRange(out: Data, values: ArrayLike<number>, fn: (v: number) => number, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = fn(values[i]);
}

function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`Trying to create tensor with negative dimension ${d}: ${formatShape(shape)}`);
    }
  }
}

export function normalizeDim(dim: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(`${op}: Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** float beats int beats bool; with only one dtype per category the result is the highest category. */
export function promote(...dtypes: DType[]): DType {
  if (dtypes.includes('float32')) return 'float32';
  if (dtypes.includes('int64')) return 'int64';
  return 'bool';
}
