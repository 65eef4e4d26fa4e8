// One row per op the user can call: forward, a VJP per input, and the formula the hover card shows.
// Rows never undo broadcasting: a VJP may return the gradient in the broadcast shape and the
// backward loop sums it back to the input's shape (and records that it did).
import type { Tensor } from '../tensor';

/** Op parameters: plain data (dims, flags, index descriptions). A row may cache derived data under `_`. */
export type Params = Record<string, unknown> & { _?: unknown };

export interface VjpArgs<P extends Params = Params> {
  grad: Tensor;
  inputs: readonly Tensor[];
  result: Tensor;
  params: P;
  /** Which input is being differentiated (variadic rows share one VJP). */
  index: number;
}

export type Vjp<P extends Params = Params> = (args: VjpArgs<P>) => Tensor;

export interface OpRow<P extends Params = Params> {
  name: string;
  /** Names used in the formulas, one per input; a variadic row has one name for all (`tensors`). */
  inputNames: string[];
  variadic?: boolean;
  /** Formula per input in a fixed vocabulary: `grad`, `result`, input names, params. */
  formulas: string[];
  differentiable: boolean;
  /** Inputs that never receive a gradient (targets, masks, indices). */
  nonDifferentiableInputs?: number[];
  forward(inputs: readonly Tensor[], params: P): Tensor;
  vjps: Vjp<P>[];
}

export function defineOp<P extends Params>(row: OpRow<P>): OpRow<Params> {
  if (row.differentiable) {
    const needed = row.variadic ? 1 : row.inputNames.length;
    if (row.vjps.length !== needed || row.formulas.length !== needed) {
      throw new Error(`op row ${row.name}: needs ${needed} VJPs and formulas`);
    }
  }
  return row as unknown as OpRow<Params>;
}
