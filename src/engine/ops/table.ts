// The op table: every op the user can call, looked up by name. A missing op fails loudly by name.
import type { OpInfo } from '../../shared/trace';
import { UnsupportedError } from '../errors';
import { arithmeticOps } from './arithmetic';
import { indexingOps } from './indexing';
import { joinOps } from './join';
import { linalgOps } from './linalg';
import { reductionOps } from './reductions';
import type { OpRow } from './row';
import { shapeOps } from './shape';
import { unaryOps } from './unary';

export const opTable: ReadonlyMap<string, OpRow> = new Map(
  [...arithmeticOps, ...unaryOps, ...reductionOps, ...linalgOps, ...shapeOps, ...indexingOps, ...joinOps].map((row) => [row.name, row]),
);

export function opRow(name: string): OpRow {
  const row = opTable.get(name);
  if (!row) throw new UnsupportedError(`op '${name}' is not supported by Gradlens yet`);
  return row;
}

/** What the hover card needs per op: input names, one formula per input, differentiability. */
export function opInfo(name: string): OpInfo {
  const row = opRow(name);
  return { inputNames: row.inputNames, formulas: row.formulas, differentiable: row.differentiable };
}
