// Reverse mode over the tape: an iterative topological walk (no recursion), `+=` accumulation,
// and the one place where broadcast gradients are summed back to their input's shape.
import type { BroadcastReduction } from '../shared/trace';
import { reducedDims, sameShape } from './broadcast';
import { ShapeError, UnsupportedError } from './errors';
import { sumDims } from './kernels/reduce';
import { add } from './ops/math';
import { opRow } from './ops/table';
import { formatShape, type Tensor } from './tensor';
import type { Node } from './tape';

export interface BackwardResult {
  /** d root / d node for every node the root depends on through differentiable edges. */
  grads: Map<Node, Tensor>;
  /** Per consumer node, how each broadcast input's gradient was reduced. */
  reductions: Map<Node, BroadcastReduction[]>;
}

/** Nodes reachable from `root` through edges gradients flow along, inputs before consumers. */
export function topoOrder(root: Node, follow: (n: Node) => boolean = (n) => !n.cut): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>([root]);
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    const inputs = follow(node) ? node.inputs : [];
    if (next < inputs.length) {
      top[1]++;
      const child = inputs[next];
      if (!seen.has(child)) { seen.add(child); stack.push([child, 0]); }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

/**
 * `everyNode`: the inspector's pass, gradients for every node the root depends on. Without it,
 * PyTorch's pass: only edges into tensors that require grad (a training loop's backward() must not
 * compute the gradient of the whole data set it sliced its batch from).
 */
export function runBackward(root: Node, seed: Tensor, everyNode = true): BackwardResult {
  const grads = new Map<Node, Tensor>([[root, seed]]);
  const reductions = new Map<Node, BroadcastReduction[]>();
  const order = topoOrder(root, everyNode ? undefined : (n) => !n.cut && n.requiresGrad);
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    const grad = grads.get(node);
    if (!grad || node.cut || node.op === 'leaf') continue;
    const row = opRow(node.op);
    if (!row.differentiable) continue;
    const values = node.inputs.map((n) => n.value);
    node.inputs.forEach((input, i) => {
      if (input.value.dtype !== 'float32' || row.nonDifferentiableInputs?.includes(i)) return;
      if (!everyNode && !input.requiresGrad) return;
      const vjp = row.vjps[row.variadic ? 0 : i];
      if (!vjp) throw new UnsupportedError(`op '${row.name}' has no VJP for input ${i} (${row.inputNames[i] ?? 'tensors'})`);
      let g = vjp({ grad, inputs: values, result: node.value, params: node.params, index: i });
      if (!sameShape(g.shape, input.value.shape)) {
        const dims = reducedDims(g.shape, input.value.shape);
        const summed = sumDims(g, dims, false);
        if (summed.size !== input.value.size) {
          throw new ShapeError(`internal: gradient of ${row.name} input ${i} has shape ${formatShape(g.shape)}, input has ${formatShape(input.value.shape)}`);
        }
        if (dims.length) {
          const list = reductions.get(node) ?? [];
          list.push({ input: i, from: [...g.shape], to: [...input.value.shape], dims });
          reductions.set(node, list);
        }
        g = summed.withShape(input.value.shape);
      }
      const prev = grads.get(input);
      grads.set(input, prev ? add(prev, g) : g);
    });
  }
  return { grads, reductions };
}
