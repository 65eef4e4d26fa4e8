// `print(tensor)` as PyTorch prints it (torch/_tensor_str.py, simplified): 4 decimals or
// scientific notation, aligned columns, `...` summaries past 1000 elements, grad_fn/requires_grad.
import type { Node, Tensor } from '../engine';

const EDGE = 3;
const THRESHOLD = 1000;
const LINE_WIDTH = 80;

const GRAD_FN: Record<string, string> = {
  add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow', matmul: 'Mm', neg: 'Neg', exp: 'Exp', log: 'Log',
  sum: 'Sum', mean: 'Mean', relu: 'Relu', clamp: 'Clamp', index: 'Index', view: 'View', reshape: 'View',
  t: 'T', transpose: 'Transpose', unsqueeze: 'Unsqueeze', squeeze: 'Squeeze', softmax: 'Softmax',
  log_softmax: 'LogSoftmax', cross_entropy: 'NllLoss', nll_loss: 'NllLoss', mse_loss: 'MseLoss', sqrt: 'Sqrt',
  tanh: 'Tanh', sigmoid: 'Sigmoid', max: 'Max', min: 'Min', expand: 'Expand', cat: 'Cat', stack: 'Stack',
  logsumexp: 'Logsumexp', to: 'ToCopy', clone: 'Clone', permute: 'Permute', where: 'Where',
};

export function gradFnName(op: string): string {
  const base = GRAD_FN[op] ?? op.split('_').map((s) => s[0].toUpperCase() + s.slice(1)).join('');
  return `${base}Backward0`;
}

export function formatTensor(t: Tensor, node: Node, prefix = 'tensor'): string {
  const summarize = t.size > THRESHOLD;
  const shown = collect(t, summarize);
  const fmt = formatter(t, shown);
  const indent = prefix.length + 1;
  let body = t.ndim === 0 ? fmt(t.data[0]) : block(t, 0, 0, fmt, indent, summarize);
  const suffix: string[] = [];
  if (t.size === 0 && t.ndim > 1) suffix.push(`size=(${t.shape.join(', ')})`);
  if (t.dtype === 'int64' && t.size === 0) suffix.push('dtype=torch.int64');
  if (node.requiresGrad) suffix.push(node.isLeaf ? 'requires_grad=True' : `grad_fn=<${gradFnName(node.op)}>`);
  if (t.size === 0 && t.ndim === 1) body = '[]';
  return `${prefix}(${body}${suffix.map((s) => ', ' + s).join('')})`;
}

/** The values that will be printed (so widths and notation ignore the hidden middle). */
function collect(t: Tensor, summarize: boolean): number[] {
  if (!summarize) return Array.from(t.data);
  const out: number[] = [];
  const walk = (dim: number, offset: number, stride: number) => {
    if (dim === t.ndim) { out.push(t.data[offset]); return; }
    const n = t.shape[dim], inner = stride / n;
    const idx = n > 2 * EDGE ? [0, 1, 2, n - 3, n - 2, n - 1] : [...Array(n).keys()];
    for (const i of idx) walk(dim + 1, offset + i * inner, inner);
  };
  walk(0, 0, t.size);
  return out;
}

function formatter(t: Tensor, values: number[]): (x: number) => string {
  if (t.dtype === 'bool') return (x) => (x ? ' True' : 'False');
  if (t.dtype === 'int64') {
    const w = Math.max(1, ...values.map((x) => String(x).length));
    return (x) => String(x).padStart(w);
  }
  const finite = values.filter((x) => Number.isFinite(x));
  const nonFinite = (x: number) => (Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');
  if (finite.every((x) => x === Math.round(x))) {
    const big = finite.length && Math.max(...finite.map(Math.abs)) > 1e8;
    if (big) return sci(values, nonFinite);
    const w = Math.max(0, ...values.map((x) => (Number.isFinite(x) ? `${x.toFixed(0)}.` : nonFinite(x)).length));
    return (x) => (Number.isFinite(x) ? `${x.toFixed(0)}.` : nonFinite(x)).padStart(w);
  }
  const abs = finite.map(Math.abs).filter((x) => x > 0);
  const max = abs.length ? Math.max(...abs) : 0, min = abs.length ? Math.min(...abs) : 0;
  if (max / min > 1000 || max > 1e8 || min < 1e-4) return sci(values, nonFinite);
  const w = Math.max(0, ...values.map((x) => (Number.isFinite(x) ? x.toFixed(4) : nonFinite(x)).length));
  return (x) => (Number.isFinite(x) ? x.toFixed(4) : nonFinite(x)).padStart(w);
}

function sci(values: number[], nonFinite: (x: number) => string): (x: number) => string {
  const s = (x: number) => (Number.isFinite(x) ? x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : nonFinite(x));
  const w = Math.max(0, ...values.map((x) => s(x).length));
  return (x) => s(x).padStart(w);
}

function block(t: Tensor, dim: number, offset: number, fmt: (x: number) => string, indent: number, summarize: boolean): string {
  const n = t.shape[dim];
  let stride = 1;
  for (let i = dim + 1; i < t.ndim; i++) stride *= t.shape[i];
  const idx: (number | null)[] = summarize && n > 2 * EDGE ? [0, 1, 2, null, n - 3, n - 2, n - 1] : [...Array(n).keys()];
  if (dim === t.ndim - 1) {
    const items = idx.map((i) => (i === null ? '...' : fmt(t.data[offset + i])));
    const width = LINE_WIDTH - indent - dim - 1;
    const lines: string[] = [];
    let line = '';
    for (const item of items) {
      const piece = line ? `${line}, ${item}` : item;
      if (line && piece.length + 1 > width) { lines.push(line + ','); line = item; } else line = piece;
    }
    lines.push(line);
    return `[${lines.join('\n' + ' '.repeat(indent + dim + 1))}]`;
  }
  const rows = idx.map((i) => (i === null ? '...' : block(t, dim + 1, offset + i * stride, fmt, indent, summarize)));
  const sep = ',' + '\n'.repeat(t.ndim - dim - 1) + ' '.repeat(indent + dim + 1);
  return `[${rows.join(sep)}]`;
}
