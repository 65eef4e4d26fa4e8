// Extension-host tests: the real commands, the real runtime worker, the real panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GradlensApi } from '../../../src/panel/controller';
import { Warmer } from '../../../src/panel/warm';
import type { Trace } from '../../../src/shared/trace';

const timings: Record<string, unknown> = {};
(globalThis as { gradlensTimings?: unknown }).gradlensTimings = timings;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function traceCommand(uri: vscode.Uri): Promise<Trace> {
  const trace = await vscode.commands.executeCommand<Trace | undefined>('gradlens.traceBackward', uri);
  assert.ok(trace, 'the command returns the trace');
  return trace;
}

describe('Gradlens in VS Code', () => {
  let api: GradlensApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<GradlensApi>('gradlens.gradlens');
    assert.ok(ext, 'the extension is installed');
    await vscode.window.showTextDocument(workspaceFile('tiny.py'));
    api = await ext.activate();
  });

  it('a window on a PyTorch project starts the runtime before a model file is shown, once', async () => {
    let started = 0;
    const warmer = new Warmer(() => started++);
    warmer.forDocument(await vscode.workspace.openTextDocument({ language: 'python', content: 'print("no torch here")\n' }));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(started, 0, 'a Python file without torch does not start it');
    await warmer.forWorkspace(); // the test workspace holds the course's model files
    assert.equal(started, 1);
    await warmer.forWorkspace();
    assert.equal(started, 1, 'started once');
    warmer.dispose();
  });

  it('contributes CodeLens above the loss line and the .backward() call', async () => {
    const uri = workspaceFile('tiny.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const lines = lenses.filter((l) => l.command?.command === 'gradlens.traceBackward').map((l) => doc.lineAt(l.range.start.line).text.trim());
    assert.deepEqual(lines, ['loss = ((out[:, 0] - y) ** 2).mean()', 'loss.backward()']);
  });

  it('traces a model file and the panel receives the trace', async () => {
    const uri = workspaceFile('tiny.py');
    const start = Date.now();
    const trace = await traceCommand(uri);
    timings.firstTraceMs = Date.now() - start;
    timings.firstTraceSteps = { ...api.lastTimings };
    assert.equal(trace.error, null, JSON.stringify(trace.error));
    assert.ok(trace.nodes.length > 5, `nodes: ${trace.nodes.length}`);
    assert.notEqual(trace.root, null);
    const panel = api.panelFor(uri);
    assert.ok(panel, 'a panel was opened for the file');
    const delivered = await waitFor('the webview to accept the trace', () => panel.delivered?.trace === trace && panel.delivered);
    assert.equal(delivered.accepted, true);
    assert.equal(panel.panel.title, 'Gradlens: tiny.py');

    const again = Date.now();
    const second = await traceCommand(uri);
    timings.warmTraceMs = Date.now() - again;
    assert.equal(api.panelFor(uri), panel, 'the same panel is updated, not a second one');
    await waitFor('the second trace to be delivered', () => panel.delivered?.trace === second && panel.delivered.accepted);
  });

  it('puts a failing line in Problems and the message in the panel', async () => {
    const uri = workspaceFile('failing.py');
    const trace = await traceCommand(uri);
    assert.ok(trace.error, 'the trace carries the error');
    assert.equal(trace.error.line, 5);
    const diagnostics = await waitFor('a diagnostic', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].range.start.line, 4, 'on line 5 (0-based 4)');
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[0].source, 'Gradlens');
    assert.match(diagnostics[0].message, new RegExp(trace.error.type));
    const panel = api.panelFor(uri);
    assert.ok(panel);
    await waitFor('the failing trace to reach the panel', () => panel.delivered?.trace === trace && panel.delivered.accepted);
  });

  it('cancel stops an endless loop and the worker traces again afterwards', async () => {
    const uri = workspaceFile('endless.py');
    const pending = vscode.commands.executeCommand<Trace | undefined>('gradlens.traceBackward', uri);
    await waitFor('the trace to start', () => api.running);
    await new Promise((r) => setTimeout(r, 1500)); // let it really spin
    const cancelledAt = Date.now();
    await vscode.commands.executeCommand('gradlens.cancelTrace');
    const trace = await Promise.race([
      pending,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('cancel did not stop the run within 10 s')), 10_000)),
    ]);
    timings.cancelMs = Date.now() - cancelledAt;
    assert.ok(trace?.error, 'the cancelled trace says so');
    assert.equal(trace.error.type, 'CancelledError', JSON.stringify(trace.error));
    assert.equal(api.running, false);
    assert.equal(vscode.languages.getDiagnostics(uri).length, 0, 'cancelling is not an error in the file');

    const after = Date.now();
    const next = await traceCommand(workspaceFile('tiny.py'));
    timings.traceAfterCancelMs = Date.now() - after;
    assert.equal(next.error, null);
    assert.ok(next.nodes.length > 5);
  });

  it('a fixed file clears its diagnostic on the next trace', async () => {
    const uri = workspaceFile('failing.py');
    await traceCommand(uri);
    assert.equal(vscode.languages.getDiagnostics(uri).length, 1);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    await editor.edit((e) => e.replace(new vscode.Range(3, 0, 3, 100), 'b = torch.randn(4, 6)'));
    try {
      const trace = await traceCommand(uri); // saves the dirty file first
      assert.equal(trace.error, null, JSON.stringify(trace.error));
      assert.equal(vscode.languages.getDiagnostics(uri).length, 0);
    } finally {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
      await doc.save();
    }
  });
  it('re-traces on save when gradlens.traceOnSave is on', async () => {
    const uri = workspaceFile('tiny.py');
    const config = vscode.workspace.getConfiguration('gradlens');
    await config.update('traceOnSave', true, vscode.ConfigurationTarget.Global);
    try {
      await traceCommand(uri);
      const panel = api.panelFor(uri);
      assert.ok(panel);
      const before = panel.delivered?.trace;
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '# saved\n'));
      await doc.save();
      const after = await waitFor('a new trace after saving', () => panel.delivered && panel.delivered.trace !== before && panel.delivered.accepted && panel.delivered.trace, 60_000);
      assert.equal(after.error, null);
      await editor.edit((e) => e.delete(new vscode.Range(doc.lineCount - 2, 0, doc.lineCount - 1, 0)));
      await config.update('traceOnSave', false, vscode.ConfigurationTarget.Global);
      await doc.save();
    } finally {
      await config.update('traceOnSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('gradlens.timeoutSeconds stops a run and marks where it was', async () => {
    const uri = workspaceFile('endless.py');
    const config = vscode.workspace.getConfiguration('gradlens');
    await config.update('timeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      const start = Date.now();
      const pending = traceCommand(uri);
      await waitFor('the run to start', () => api.running);
      timings.timeoutStartMs = Date.now() - start;
      const trace = await pending;
      timings.timeoutRunMs = Date.now() - start;
      timings.timeoutTraceTiming = trace.timing?.totalMs ?? -1;
      timings.timeoutSteps = { ...api.lastTimings };
      assert.equal(trace.error?.type, 'TimeoutError');
      assert.ok(trace.timing === undefined || trace.timing.totalMs < 10_000, `stopped after ${trace.timing?.totalMs} ms`);
      const d = vscode.languages.getDiagnostics(uri);
      assert.equal(d.length, 1);
      if (trace.error.line) assert.equal(d[0].range.start.line, trace.error.line - 1);
    } finally {
      await config.update('timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });
  it('answers a slice request for a summarised tensor with every value', async () => {
    const uri = workspaceFile('lesson13_mlp.py');
    const trace = await traceCommand(uri);
    assert.equal(trace.error, null, JSON.stringify(trace.error));
    const big = trace.nodes.filter((n) => !n.value.data).sort((a, b) => b.shape.reduce((x, y) => x * y, 1) - a.shape.reduce((x, y) => x * y, 1))[0];
    assert.ok(big, 'some tensor is summarised');
    const panel = api.panelFor(uri) as unknown as { slice(id: number, which: string): Promise<{ summary?: { data?: number[]; mean: number }; error?: string }> };
    const start = Date.now();
    const reply = await panel.slice(big.id, 'value');
    timings.sliceMs = Date.now() - start;
    assert.equal(reply.error, undefined);
    assert.equal(reply.summary?.data?.length, big.shape.reduce((x, y) => x * y, 1));
    const again = await panel.slice(big.id, 'grad');
    assert.ok(again.summary?.data, again.error);
  });
});
