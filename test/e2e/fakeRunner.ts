// TEMPORARY stand-in for src/runtime/runner.ts while the runtime is being written: answers with
// hand-written traces so the host side can be exercised. Never shipped; the e2e build uses it
// only when GRADLENS_FAKE_RUNNER=1.
import * as fs from 'fs';
import * as path from 'path';
import type { TraceOptions, TraceRunner } from '../../src/runtime/api';
import type { Trace } from '../../src/shared/trace';

const traces = path.join(__dirname, '..', 'test', 'webview', 'traces');

export function createTraceRunner(): TraceRunner {
  let cancel: (() => void) | undefined;
  return {
    trace(file: string, options: TraceOptions = {}): Promise<Trace> {
      const base = path.basename(file);
      const name = base.startsWith('failing') ? 'failing.json' : 'lesson13.json';
      const trace = JSON.parse(fs.readFileSync(path.join(traces, name), 'utf8')) as Trace;
      trace.file = file;
      if (trace.error) trace.error.line = 5;
      options.onOutput?.('out shape (8, 1)\n');
      const endless = base.startsWith('endless');
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(trace), endless ? 1e9 : 300);
        cancel = () => {
          clearTimeout(timer);
          resolve({ ...trace, nodes: [], root: null, error: { type: 'CancelledError', message: 'cancelled', line: 6 } });
        };
      });
    },
    cancel: () => cancel?.(),
    dispose: async () => undefined,
  };
}
