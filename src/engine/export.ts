// Turn the graph of a root into trace v1 nodes (DESIGN.md "Trace JSON, version 1").
import type { OpInfo, TraceNode } from '../shared/trace';
import { runBackward, topoOrder } from './backward';
import { opInfo } from './ops/table';
import type { Session } from './session';
import { difference, summarize } from './summary';
import { Tensor } from './tensor';
import type { Node } from './tape';

export interface GraphExport {
  root: number | null;
  nodes: TraceNode[];
  ops: Record<string, OpInfo>;
  losses: number[];
  truncated: number;
  /** A tape node's id in this export (undefined if it is not in it). */
  idOf(node: Node): number | undefined;
}

export interface ExportOptions {
  full?: boolean;
  maxNodes?: number;
}

/** The graph of `root` (everything it was computed from), with gradients and summaries. */
export function exportGraph(session: Session, root: Node | null, options: ExportOptions = {}): GraphExport {
  if (!root) return { root: null, nodes: [], ops: {}, losses: [...session.losses], truncated: 0, idOf: () => undefined };
  // The inspector's pass runs once, here: node values never change after an op made them.
  const last = session.lastBackward;
  const backward = runBackward(root, last && last.root === root ? last.seed : Tensor.full(root.value.shape, 1));
  // Show inputs of detach/no_grad nodes too: the picture is of data flow, the gradient of grad flow.
  let order = topoOrder(root, () => true);
  const maxNodes = options.maxNodes ?? Infinity;
  const truncated = Math.max(0, order.length - maxNodes);
  if (truncated) order = order.slice(order.length - maxNodes);
  // Ids are 0..n-1 in the order the ops ran (the webview groups calls by it): unique, and the
  // same when the same graph is traced again (the webview then reuses its layout), whatever
  // tensors outlived an earlier run.
  const idOf = new Map<Node, number>([...order].sort((a, b) => a.id - b.id).map((n, i) => [n, i]));
  const ops: Record<string, OpInfo> = {};
  const nodes = order.map((n): TraceNode => {
    if (n.op !== 'leaf' && n.op !== 'detach' && !ops[n.op]) ops[n.op] = opInfo(n.op);
    const grad = backward.grads.get(n) ?? null;
    const node: TraceNode = {
      id: idOf.get(n)!, op: n.op,
      inputs: n.inputs.filter((i) => idOf.has(i)).map((i) => idOf.get(i)!),
      shape: [...n.value.shape], dtype: n.value.dtype,
      names: session.names.get(n) ?? [],
      loc: n.loc,
      requiresGrad: n.requiresGrad,
      value: summarize(n.value, options.full),
      grad: grad ? summarize(grad, options.full) : null,
      userGrad: n.userGrad ? summarize(n.userGrad, options.full) : null,
    };
    const label = session.labels.get(n);
    if (label) node.label = label;
    const params = displayParams(n);
    if (params) node.params = params;
    if (n.userGrad) {
      const sameShape = n.userGrad.size === n.value.size && n.userGrad.ndim === n.value.ndim &&
        n.userGrad.shape.every((s, i) => s === n.value.shape[i]);
      if (!sameShape) node.userGradShape = [...n.userGrad.shape];
      else if (grad) node.userGradDiff = difference(n.userGrad, grad);
    }
    const reductions = backward.reductions.get(n);
    if (reductions) node.reductions = reductions;
    return node;
  });
  return { root: idOf.get(root)!, nodes, ops, losses: [...session.losses], truncated, idOf: (n) => idOf.get(n) };
}

/** Plain, small params only (no cached arrays). Scalars made from Python numbers show their value. */
function displayParams(n: Node): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n.params)) {
    if (k === '_' || v === undefined) continue;
    if (typeof v === 'object' && v !== null && JSON.stringify(v).length > 400) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The trace's root: last backward() call, else the named global `loss`, else the last scalar. */
export function chooseRoot(session: Session, globalLoss: Node | null): Node | null {
  return session.lastBackward?.root ?? globalLoss ?? session.lastScalar;
}
