// Synthetic traces of any size for the benchmark and the large-graph test: a deep residual MLP
// (matmul, add with a broadcast bias, relu, a skip connection every 3 layers), grouped by call.
import type { Summary, Trace, TraceNode } from '../../src/shared/trace';

function summary(seed: number, n: number): Summary {
  const wave = (i: number) => Math.sin(seed * 0.37 + i * 0.9) * (1 + (seed % 5));
  const histogram = Array.from({ length: 24 }, (_, i) => Math.round(40 * Math.exp(-((i - 12) ** 2) / 20) + (seed % 3)));
  return {
    min: -1 - (seed % 5), max: 1 + (seed % 5), mean: Math.sin(seed) * 0.1, std: 0.5 + (seed % 4) * 0.1,
    absMean: 0.4 + (seed % 7) * 0.05, head: Array.from({ length: Math.min(16, n) }, (_, i) => wave(i)), histogram,
  };
}

export function syntheticTrace(targetNodes: number, width = 64): Trace {
  const nodes: TraceNode[] = [];
  let layer = 0;
  const add = (op: string, inputs: number[], shape: number[], stack: string[], name?: string): number => {
    const id = nodes.length;
    const size = shape.reduce((a, b) => a * b, 1);
    nodes.push({
      id, op, inputs, shape, dtype: 'float32', names: name ? [name] : [], label: name,
      loc: { line: 10 + (id % 50), column: 5, func: stack[stack.length - 1], stack, callIds: stack.map((_, i) => (i < 2 ? 0 : layer)) },
      requiresGrad: true, value: summary(id, size), grad: summary(id + 1, size), userGrad: null,
    });
    return id;
  };
  const top = ['<module>'];
  let x = add('leaf', [], [32, width], top, 'x');
  let skip = x;
  while (nodes.length < targetNodes - 6) {
    const lin = ['<module>', 'Model.__call__', `Block.__call__`, 'Linear.forward'];
    const w = add('leaf', [], [width, width], top, `model.layers[${layer}].weight`);
    const b = add('leaf', [], [width], top, `model.layers[${layer}].bias`);
    const mm = add('matmul', [x, w], [32, width], lin);
    const a = add('add', [mm, b], [32, width], lin);
    nodes[a].reductions = [{ input: 1, from: [32, width], to: [width], dims: [0] }];
    x = add('relu', [a], [32, width], lin.slice(0, 3), `h${layer}`);
    if (layer % 3 === 2) { x = add('add', [x, skip], [32, width], lin.slice(0, 3)); skip = x; }
    layer++;
  }
  const targ = add('leaf', [], [32, width], top, 'targ');
  const loss = add('mse_loss', [x, targ], [], top, 'loss');
  return {
    format: 'gradlens-trace', version: 1, file: `synthetic_${targetNodes}.py`, root: loss, nodes,
    ops: {
      matmul: { inputNames: ['a', 'b'], formulas: ['grad @ b.T', 'a.T @ grad'], differentiable: true },
      add: { inputNames: ['a', 'b'], formulas: ['grad', 'grad'], differentiable: true },
      relu: { inputNames: ['a'], formulas: ['grad * (a > 0)'], differentiable: true },
      mse_loss: { inputNames: ['input', 'target'], formulas: ['grad * 2 * (input - target) / n', '-grad * 2 * (input - target) / n'], differentiable: true },
    },
    error: null, losses: [1], output: '',
  };
}
