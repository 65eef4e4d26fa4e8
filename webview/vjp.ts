// The hover card's algebra: Jacobian shapes and the op's VJP formula with the user's variable
// names and concrete shapes (`inp.g = out.g @ w1.T : (32,6) @ (6,10) → (32,10)`).
import type { BroadcastReduction, OpInfo, TraceNode } from '../src/shared/trace';
import { bytes, count, numel, shapeTuple } from './format';

export interface InputRow {
  name: string;
  shape: number[];
  jacobian: string; // `(32,6) × (32,10)`
  jacobianElements: number;
  jacobianBytes: number; // float32, if materialised
  vjp: string | null; // named formula
  vjpShapes: string | null; // the same with shapes
  resultShape: number[]; // the gradient's shape before any broadcast reduction
  reduction: string | null;
  differentiable: boolean;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.T)?/g;

function transposed(shape: number[]): number[] {
  return shape.length < 2 ? shape : [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]];
}

/** Replaces `grad`, `result` and input names (with `.T`) by names or shapes; leaves other words alone. */
function substitute(formula: string, lookup: (word: string) => string | null): string {
  return formula.replace(IDENT, (token) => {
    const t = token.endsWith('.T');
    const base = t ? token.slice(0, -2) : token;
    const hit = lookup(base);
    if (hit === null) return token;
    return t ? `${hit}.T` : hit;
  });
}

function substituteShapes(formula: string, shapes: Record<string, number[]>): string {
  return formula.replace(IDENT, (token) => {
    const t = token.endsWith('.T');
    const s = shapes[t ? token.slice(0, -2) : token];
    if (!s) return token;
    return shapeTuple(t ? transposed(s) : s);
  });
}

export function reductionText(r: BroadcastReduction, inputName: string, outName: string): string {
  const dims = r.dims.join(', ');
  const sum = r.dims.length === 1 ? `sum(${dims})` : `sum((${dims}))`;
  const keep = r.to.length === r.from.length ? `, keepdim=True` : '';
  const expr = keep ? `${outName}.g.${sum.slice(0, -1)}${keep})` : `${outName}.g.${sum}`;
  return `${inputName} ${shapeTuple(r.to)} broadcast over dim ${dims} → ${inputName}.g = ${expr}`;
}

export function inputRows(node: TraceNode, inputs: TraceNode[], info: OpInfo | undefined, nameOf: (n: TraceNode) => string): InputRow[] {
  const outName = nameOf(node);
  const slotNames = info?.inputNames ?? [];
  const slotOf = (i: number) => slotNames[Math.min(i, slotNames.length - 1)] ?? `x${i}`;
  const names: Record<string, string> = { grad: `${outName}.g`, result: outName };
  const shapes: Record<string, number[]> = { grad: node.shape, result: node.shape };
  inputs.forEach((inp, i) => {
    const slot = slotOf(i);
    if (!(slot in names)) { names[slot] = nameOf(inp); shapes[slot] = inp.shape; }
  });
  return inputs.map((inp, i) => {
    const formula = info?.formulas[Math.min(i, info.formulas.length - 1)];
    const reduction = node.reductions?.find((r) => r.input === i) ?? null;
    const differentiable = !!formula && info!.differentiable && !formula.startsWith('not differentiable');
    const inName = nameOf(inp);
    const jacobianElements = numel(node.shape) * numel(inp.shape);
    const resultShape = reduction ? reduction.from : inp.shape;
    const vjp = formula ? `${inName}.g = ${substitute(formula, (w) => names[w] ?? null)}` : null;
    const vjpShapes = formula && differentiable ? `${substituteShapes(formula, shapes)} → ${shapeTuple(resultShape)}` : null;
    return {
      name: inName, shape: inp.shape, differentiable,
      jacobian: `${shapeTuple(node.shape)} × ${shapeTuple(inp.shape)}`,
      jacobianElements, jacobianBytes: jacobianElements * 4,
      vjp: formula ? (differentiable ? vjp : formula) : null, vjpShapes, resultShape,
      reduction: reduction ? reductionText(reduction, inName, outName) : null,
    };
  });
}

export function jacobianSize(row: InputRow): string {
  return `${count(row.jacobianElements)} elements · ${bytes(row.jacobianBytes)} as float32`;
}
