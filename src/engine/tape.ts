// The tape: each op applied while tracing becomes a Node holding its ordered inputs, its value,
// its params and the caller's source location. Nodes reference their inputs, not a global list,
// so graphs nobody can reach any more (earlier steps of a training loop) are garbage collected.
import type { SourceLoc } from '../shared/trace';
import type { Params } from './ops/row';
import type { Tensor } from './tensor';

let nextId = 0;

export class Node {
  readonly id = nextId++;
  /** PyTorch's `.grad` (leaves with requires_grad, or retain_grad()). */
  grad: Ref | null = null;
  /** The hand-written gradient the file assigned as `.g`. */
  userGrad: Tensor | null = null;
  retainsGrad = false;
  /** PyTorch's grad_fn exists: decided when the op ran, not changed by a later requires_grad_(). */
  readonly hasGradFn: boolean;

  constructor(
    readonly op: string,
    readonly inputs: readonly Node[],
    readonly value: Tensor,
    readonly params: Params,
    readonly loc: SourceLoc | null,
    public requiresGrad: boolean,
    /** Made under no_grad or by detach(): gradients do not flow into its inputs. */
    readonly cut = false,
  ) {
    this.hasGradFn = requiresGrad && op !== 'leaf' && !cut;
  }

  /** PyTorch's is_leaf: no grad_fn (`x.clone().requires_grad_()` made under no grad is a leaf). */
  get isLeaf(): boolean {
    return !this.hasGradFn;
  }
}

/** What the Python side holds: a tensor variable. In-place ops rebind it to a new node. */
export class Ref {
  constructor(public node: Node) {}
  get value(): Tensor { return this.node.value; }
}
