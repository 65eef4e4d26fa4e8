// The course's lesson 13 and 14 notebooks (code cells, plots aside) run unchanged, with the same
// numbers as real PyTorch where the notebook is deterministic. lesson14.expected.txt is the first
// lines torch 1.13 printed for the same file (before the cells that shuffle with Python's random).
import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { createTraceRunner } from '../../src/runtime/runner';

const COURSE = path.resolve(__dirname, '../fixtures/course');

describe('course lessons 13 and 14 run unchanged', function () {
  this.timeout(180_000);
  const runner = createTraceRunner();
  after(() => runner.dispose());

  it('lesson 13: manual backprop, layer classes, Module refactor, nn.Module + autograd', async () => {
    const t = await runner.trace(path.join(COURSE, 'lesson13.py'));
    assert.equal(t.error, null, `${t.error?.type}: ${t.error?.message}\n${t.error?.traceback}`);
    const done = /lesson 13 done ([\d.]+)/.exec(t.output);
    assert.ok(done, t.output);
    assert.ok(Math.abs(Number(done[1]) - 1594.6563720703125) < 1e-2, done[1]);
    assert.ok(t.nodes.some((n) => n.names.includes('model.layers[0].w')), 'model.layers[0].w is named');
  });

  it('lesson 14: cross-entropy, training loops, nn.Module/ModuleList/Sequential, optim, Dataset/DataLoader', async () => {
    const t = await runner.trace(path.join(COURSE, 'lesson14.py'));
    assert.equal(t.error, null, `${t.error?.type}: ${t.error?.message}\n${t.error?.traceback}`);
    const expected = fs.readFileSync(path.join(COURSE, 'lesson14.expected.txt'), 'utf8').trim().split('\n');
    assert.deepEqual(t.output.split('\n').slice(0, expected.length), expected);
    assert.ok(t.losses.length > 50, `loss curve of ${t.losses.length} steps`);
    assert.ok(t.nodes.some((n) => n.names.includes('model[0].weight')), 'model[0].weight is named');
  });
});
