// One trace's autograd state, and the API the runtime's `torch` shim calls. It follows PyTorch's
// user-visible semantics (requires_grad, .grad accumulation on leaves, no_grad, its errors) while
// the inspector computes the root's gradient with respect to every node.
import type { SourceLoc } from '../shared/trace';
import { runBackward } from './backward';
import { GradError, ShapeError } from './errors';
import { broadcastTo } from './kernels/elementwise';
import { add } from './ops/math';
import type { Params } from './ops/row';
import { opRow } from './ops/table';
import { Node, Ref } from './tape';
import { formatShape, scalarTypeName, Tensor } from './tensor';

/** The last backward() call: its root and seed, so the trace's inspector pass starts the same way. */
export interface LastBackward {
  root: Node;
  seed: Tensor;
}

export class Session {
  gradEnabled = true;
  /** The most recent scalar result: the fallback root. */
  lastScalar: Node | null = null;
  lastBackward: LastBackward | null = null;
  /** Root value at each backward() call: the loss curve. */
  readonly losses: number[] = [];
  readonly names = new Map<Node, string[]>();
  readonly labels = new Map<Node, string>();

  /** A tensor made without an op: data, parameters, creation functions. */
  leaf(value: Tensor, requiresGrad = false, loc: SourceLoc | null = null, params: Params = {}): Ref {
    if (requiresGrad) this.checkCanRequireGrad(value);
    return new Ref(new Node('leaf', [], value, params, loc, requiresGrad));
  }

  op(name: string, inputs: readonly Ref[], params: Params = {}, loc: SourceLoc | null = null): Ref {
    return new Ref(this.apply(name, inputs.map((r) => r.node), params, loc));
  }

  private apply(name: string, inputs: readonly Node[], params: Params, loc: SourceLoc | null): Node {
    const row = opRow(name);
    const value = row.forward(inputs.map((n) => n.value), params);
    const requiresGrad = this.gradEnabled && row.differentiable && value.dtype === 'float32'
      && inputs.some((n, i) => n.requiresGrad && !row.nonDifferentiableInputs?.includes(i));
    const node = new Node(name, inputs, value, params, loc, requiresGrad, !this.gradEnabled);
    if (value.size === 1 && value.dtype === 'float32') this.lastScalar = node;
    return node;
  }

  /**
   * `x op= y`, `x[i] = v`, `x.zero_()`…: rebinds `target` to the op's result, so graphs already
   * built keep the old value. Under no_grad (an optimizer step) the result is a fresh leaf that
   * keeps requires_grad, .grad and .g.
   */
  inplace(target: Ref, name: string, others: readonly Ref[], params: Params = {}, loc: SourceLoc | null = null): Ref {
    const old = target.node;
    if (this.gradEnabled && old.requiresGrad && old.isLeaf) {
      throw new GradError('a leaf Variable that requires grad is being used in an in-place operation.');
    }
    const result = this.apply(name, [old, ...others.map((r) => r.node)], params, loc);
    const value = conform(result.value, old.value, name);
    target.node = this.gradEnabled && value === result.value ? result : this.carryOver(old, value, loc, name);
    return target;
  }

  /** `x.copy_(src)` / `x.fill_(v)` / `x.zero_()`: new data of the same shape and dtype. */
  overwrite(target: Ref, value: Tensor, loc: SourceLoc | null = null, how = 'copy_'): Ref {
    const old = target.node;
    if (this.gradEnabled && old.requiresGrad && old.isLeaf) {
      throw new GradError('a leaf Variable that requires grad is being used in an in-place operation.');
    }
    target.node = this.carryOver(old, conform(broadcastTo(value, old.value.shape), old.value, how), loc, how);
    return target;
  }

  private carryOver(old: Node, value: Tensor, loc: SourceLoc | null, how: string): Node {
    const node = new Node('leaf', [], value, { updatedBy: how }, loc ?? old.loc, old.requiresGrad);
    node.grad = old.grad;
    node.userGrad = old.userGrad;
    node.retainsGrad = old.retainsGrad;
    const names = this.names.get(old);
    if (names) this.names.set(node, names);
    return node;
  }

  detach(ref: Ref, loc: SourceLoc | null = null): Ref {
    return new Ref(new Node('detach', [ref.node], ref.value, {}, loc, false, true));
  }

  setRequiresGrad(ref: Ref, flag: boolean): void {
    const node = ref.node;
    if (!node.isLeaf) {
      throw new GradError('you can only change requires_grad flags of leaf variables.' +
        (flag ? '' : " If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."));
    }
    if (flag) this.checkCanRequireGrad(node.value);
    node.requiresGrad = flag;
  }

  private checkCanRequireGrad(value: Tensor): void {
    if (value.dtype !== 'float32') throw new GradError('only Tensors of floating point and complex dtype can require gradients');
  }

  retainGrad(ref: Ref): void {
    if (!ref.node.requiresGrad) throw new GradError("can't retain_grad on Tensor that has requires_grad=False");
    ref.node.retainsGrad = true;
  }

  setUserGrad(ref: Ref, g: Ref | null): void {
    ref.node.userGrad = g ? g.value : null;
  }

  /** `tensor.backward(gradient)`: PyTorch's checks, `.grad` accumulation, and the inspector's gradients. */
  backward(ref: Ref, gradient?: Ref | null): void {
    const root = ref.node;
    if (!root.requiresGrad) throw new GradError('element 0 of tensors does not require grad and does not have a grad_fn');
    let seed: Tensor;
    if (gradient) {
      if (gradient.value.size !== root.value.size) {
        throw new ShapeError(`Mismatch in shape: grad_output[0] has a shape of ${formatShape(gradient.value.shape)} and output[0] has a shape of ${formatShape(root.value.shape)}.`);
      }
      seed = gradient.value.to('float32').withShape(root.value.shape);
    } else {
      if (root.value.size !== 1) throw new GradError('grad can be implicitly created only for scalar outputs');
      seed = Tensor.full(root.value.shape, 1);
    }
    const result = runBackward(root, seed, false);
    for (const [node, g] of result.grads) {
      if (!node.requiresGrad || !(node.isLeaf || node.retainsGrad)) continue;
      if (node.grad) node.grad.node = new Node('leaf', [], add(node.grad.value, g), {}, null, false);
      else node.grad = new Ref(new Node('leaf', [], g, {}, null, false));
    }
    this.losses.push(root.value.size === 1 ? root.value.data[0] : NaN);
    this.lastBackward = { root, seed };
  }

  addName(ref: Ref, path: string): void {
    const list = this.names.get(ref.node);
    if (!list) this.names.set(ref.node, [path]);
    else if (!list.includes(path)) list.push(path);
  }

  setLabel(ref: Ref, label: string): void {
    if (!this.labels.has(ref.node)) this.labels.set(ref.node, label);
  }
}

/** In-place results keep the target's shape and dtype, as PyTorch requires. */
function conform(result: Tensor, target: Tensor, op: string): Tensor {
  if (result.shape.length !== target.shape.length || result.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`output with shape ${formatShape(target.shape)} doesn't match the broadcast shape ${formatShape(result.shape)} (in-place ${op})`);
  }
  if (result.dtype !== target.dtype) {
    if (target.dtype !== 'float32' && result.dtype === 'float32') {
      throw new ShapeError(`result type Float can't be cast to the desired output type ${scalarTypeName(target.dtype)} (in-place ${op})`);
    }
    return result.to(target.dtype);
  }
  return result;
}
