// gradlens trace: argument parsing, exit statuses, the JSON and the stderr line of a failing model.
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pathToFileURL } from 'url';
import { parseArgs, summaryLine, UsageError } from '../../src/cli';
import { isTrace, type Trace } from '../../src/shared/trace';

const ROOT = path.resolve(__dirname, '../..');

describe('cli: arguments', () => {
  it('parses trace FILE and its options', () => {
    assert.deepEqual(parseArgs(['trace', 'm.py', '--json', 'o.json', '--full', '--timeout', '5', '--max-nodes', '100']),
      { file: 'm.py', json: 'o.json', full: true, quiet: false, timeoutMs: 5000, maxNodes: 100 });
    assert.equal(parseArgs(['trace', 'm.py', '--json', '-']).json, '-');
    assert.equal(parseArgs(['trace', 'm.py', '--memory', '512']).memoryLimitMB, 512);
  });

  it('rejects bad usage', () => {
    for (const argv of [[], ['run', 'm.py'], ['trace'], ['trace', 'm.py', '--timeout'], ['trace', 'm.py', '--timeout', '-1'],
      ['trace', 'm.py', '--bogus'], ['trace', 'a.py', 'b.py'], ['trace', 'm.py', '--json']]) {
      assert.throws(() => parseArgs(argv), UsageError, argv.join(' '));
    }
  });

  it('summarises a trace in one line', () => {
    const trace = { file: '/x/m.py', root: 3, nodes: [{ id: 3, op: 'mean', label: 'loss', names: [] }], error: null } as unknown as Trace;
    assert.equal(summaryLine(trace, 1234), 'm.py: 1 nodes, root #3 (loss), 1.23 s');
  });
});

describe('cli: runs', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(ROOT, 'src/cli.ts'), ...args],
    { cwd: dir, encoding: 'utf8', timeout: 110_000 });

  it('exit 1 for a failing model: JSON still written, stderr FILE:LINE: message', () => {
    fs.writeFileSync(path.join(dir, 'bad.py'), 'import torch\nw = torch.ones(3, requires_grad=True)\nx = w * 2\ny = x @ torch.ones(4)\n');
    const r = cli('trace', 'bad.py', '--json', 'out.json');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^bad\.py:4: ShapeError: /m);
    const trace = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as Trace;
    assert.ok(isTrace(trace));
    assert.equal(trace.error?.type, 'ShapeError');
    assert.equal(trace.error?.line, 4);
    assert.match(r.stdout, /^bad\.py: \d+ nodes, .*ShapeError, [\d.]+ s\n$/);
  });

  it('exit 2 for bad usage or a missing file', () => {
    assert.equal(cli('trace').status, 2);
    assert.equal(cli('trace', 'missing.py').status, 2);
  });
});

describe('cli: the built bundle', function () {
  this.timeout(120_000);
  it('starts Pyodide from the snapshot the build put next to it (no cold start, nothing written to the temp folder)', function () {
    const snapshot = fs.existsSync(path.join(ROOT, 'dist')) && fs.readdirSync(path.join(ROOT, 'dist')).find((f) => f.endsWith('.snapshot'));
    if (!fs.existsSync(path.join(ROOT, 'dist/cli.js')) || !snapshot) this.skip(); // `npm test` builds first; a bare `mocha` may not have
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-tmp-'));
    try {
      const model = path.join(tmp, 'm.py');
      fs.writeFileSync(model, 'import torch\nx = torch.ones(3, requires_grad=True)\nloss = (x * x).sum()\nloss.backward()\n');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/gradlens.js'), 'trace', model, '--json', '-', '--quiet'],
        { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8', timeout: 110_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).error, null);
      assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes('snapshot')), [], 'a snapshot was made in the temp folder');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
