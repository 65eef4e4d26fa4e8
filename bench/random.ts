// Benchmark: torch.randn(50000, 784) (39.2 M float32 normals) — Gradlens' generator vs PyTorch.
// Run: npx tsx bench/random.ts   (PyTorch timed through /usr/bin/python3, or $TORCH_PYTHON)
// Gradlens is timed on its default path (WebAssembly SIMD) and on the JS fallback. randn runs first,
// so its "first call" includes instantiating the wasm module and V8's tier-up from baseline code.
import { execFileSync } from 'node:child_process';
import { Generator } from '../src/engine/random';

const N = 50000 * 784;
const RUNS = 3;

function timeOurs(op: 'randn' | 'rand', useWasm: boolean): number[] {
  const g = new Generator();
  g.useWasm = useWasm;
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    g.manualSeed(42);
    const t = performance.now();
    const x = op === 'randn' ? g.randn(N) : g.rand(N);
    ms.push(performance.now() - t);
    if (x.length !== N) throw new Error('size');
  }
  return ms;
}

function timeTorch(op: 'randn' | 'rand'): number[] | null {
  const py = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
  const code = `
import time, torch
ms = []
for r in range(${RUNS}):
    torch.manual_seed(42)
    t = time.perf_counter()
    x = torch.${op}(50000, 784)
    ms.append((time.perf_counter() - t) * 1000)
print(' '.join('%.1f' % m for m in ms))
`;
  try {
    return execFileSync(py, ['-c', code], { encoding: 'utf8' }).trim().split(' ').map(Number);
  } catch {
    return null;
  }
}

const fmt = (a: number[]) => a.map((m) => m.toFixed(0)).join(', ');
for (const op of ['randn', 'rand'] as const) {
  const ours = timeOurs(op, true);
  const js = timeOurs(op, false);
  const torch = timeTorch(op);
  const best = Math.min(...ours);
  console.log(`${op}(50000, 784): Gradlens ${fmt(ours)} ms (first call ${ours[0].toFixed(0)}, best ${best.toFixed(0)})`);
  console.log(`${op}(50000, 784): Gradlens JS fallback ${fmt(js)} ms (best ${Math.min(...js).toFixed(0)})`);
  if (torch) {
    const tb = Math.min(...torch);
    console.log(`${op}(50000, 784): PyTorch  ${fmt(torch)} ms (best ${tb.toFixed(0)}) -> ratio ours/torch ${(best / tb).toFixed(2)}x`);
  } else {
    console.log(`${op}(50000, 784): PyTorch not available`);
  }
}
