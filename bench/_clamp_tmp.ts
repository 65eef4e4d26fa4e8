import { Tensor } from '../src/engine';
import { clampFloat, insideFloat } from '../src/engine/kernels/elementwise';
const x = Tensor.zeros([50000, 50]);
for (let i = 0; i < x.size; i++) x.data[i] = Math.random() - 0.5;
for (let r = 0; r < 6; r++) {
  const t = performance.now(); clampFloat(x, 0, Infinity); const t1 = performance.now(); insideFloat(x, 0, Infinity); const t2 = performance.now();
  const o = new Float32Array(x.size); const d = x.data; const t3 = performance.now();
  for (let i = 0; i < o.length; i++) { const v = d[i]; o[i] = v < 0 ? 0 : v; } const t4 = performance.now();
  for (let i = 0; i < o.length; i++) { const v = d[i]; o[i] = Math.max(v, 0); } const t5 = performance.now();
  console.log('clamp', (t1 - t).toFixed(1), 'inside', (t2 - t1).toFixed(1), 'inline select (faulted)', (t4 - t3).toFixed(1), 'reuse max', (t5 - t4).toFixed(1));
}
