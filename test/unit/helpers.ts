// Shared by the engine tests: fixture tensors in and out, and closeness with a reason.
import assert from 'node:assert/strict';
import { Tensor, type DType } from '../../src/engine';

/** `null` in fixture data stands for NaN (JSON has none). */
export interface FixtureTensor { shape: number[]; dtype: DType; data: (number | null)[] }

export const toTensor = (f: FixtureTensor) => Tensor.from(f.data.map((v) => v ?? NaN), f.shape, f.dtype);

/** Element-wise |a - b| <= atol + rtol·|b|, and the same shape and dtype. */
export function assertClose(actual: Tensor, expected: FixtureTensor, what: string, rtol = 1e-5, atol = 1e-5): void {
  assert.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i], b = expected.data[i] ?? NaN;
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      assert.fail(`${what}: element ${i} is ${a}, PyTorch has ${b}`);
    }
  }
}
