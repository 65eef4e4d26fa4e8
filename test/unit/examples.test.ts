// Every example traces, and its gradients at named tensors equal real PyTorch's (fixtures made by
// test/fixtures/examples/make_example_fixtures.py with torch 1.13).
import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { createTraceRunner } from '../../src/runtime/runner';
import type { Summary, Trace, TraceNode } from '../../src/shared/trace';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/examples');

interface Encoded { shape: number[]; data: string }
interface Fixture { grads: Record<string, Encoded>; userGrads: Record<string, Encoded>; losses: number[] }

function decode(e: Encoded): Float32Array {
  const b = Buffer.from(e.data, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Elementwise |a-b| <= rtol * max|ref| + atol: relative to the tensor's scale, not each element. */
function assertClose(actual: Summary | null, ref: Encoded, what: string, rtol = 1e-5): void {
  assert.ok(actual?.data, `${what}: no data in the trace`);
  const want = decode(ref);
  assert.equal(actual.data.length, want.length, `${what}: ${actual.data.length} values, PyTorch has ${want.length}`);
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  const tol = rtol * scale + 1e-6;
  let worst = 0, at = -1;
  actual.data.forEach((v, i) => { const d = Math.abs(v - want[i]); if (!(d <= worst)) { worst = d; at = i; } });
  assert.ok(worst <= tol, `${what}: differs from PyTorch by ${worst} at ${at} (tolerance ${tol}): ${actual.data[at]} vs ${want[at]}`);
}

function named(trace: Trace, name: string, has: (n: TraceNode) => boolean): TraceNode {
  const nodes = trace.nodes.filter((n) => n.names.includes(name));
  assert.ok(nodes.length, `no node named ${name}; names: ${[...new Set(trace.nodes.flatMap((n) => n.names))].join(', ')}`);
  const node = nodes.find(has);
  assert.ok(node, `node ${name} lacks the expected gradient`);
  return node;
}

const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.py') && !f.startsWith('make_'));

describe('examples match real PyTorch', function () {
  this.timeout(180_000);
  const runner = createTraceRunner();
  after(() => runner.dispose());

  it('has a fixture for every example', () => {
    for (const f of examples) assert.ok(fs.existsSync(path.join(FIXTURES, f.replace(/\.py$/, '.json'))), `missing fixture for ${f}`);
  });

  for (const file of examples) {
    it(file, async () => {
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, file.replace(/\.py$/, '.json')), 'utf8')) as Fixture;
      const trace = await runner.trace(path.join(ROOT, 'examples', file), { full: true, timeoutMs: 120_000 });
      assert.equal(trace.error, null, `${file}: ${trace.error?.type}: ${trace.error?.message}\n${trace.error?.traceback ?? ''}`);
      assert.notEqual(trace.root, null);
      // Several SGD steps accumulate float32 rounding differences; one forward/backward does not.
      const rtol = fixture.losses.length > 1 ? 1e-4 : 1e-5;
      for (const [name, ref] of Object.entries(fixture.grads)) {
        assertClose(named(trace, name, (n) => !!n.grad).grad, ref, `${file} grad of ${name}`, rtol);
      }
      for (const [name, ref] of Object.entries(fixture.userGrads)) {
        const node = named(trace, name, (n) => !!n.userGrad);
        assertClose(node.userGrad, ref, `${file} .g of ${name}`, rtol);
        // The hand-written gradient is right, so the engine's must equal PyTorch's .g too.
        if (!Object.keys(fixture.grads).length) assertClose(node.grad, ref, `${file} engine grad of ${name}`, 1e-4);
      }
      assert.equal(trace.losses.length, fixture.losses.length, 'one loss per backward()');
      trace.losses.forEach((l, i) => assert.ok(Math.abs(l - fixture.losses[i]) <= 1e-4 * Math.abs(fixture.losses[i]) + 1e-6, `loss ${i}: ${l} vs ${fixture.losses[i]}`));
    });
  }
});
