// Runs inside VS Code's extension host (extensionTestsPath): mocha over the suites below, results
// written to $GRADLENS_E2E_RESULT because the test page does not always close by itself.
import * as fs from 'fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const resultFile = process.env.GRADLENS_E2E_RESULT;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./extension.test');
  const failures: { title: string; error: string }[] = [];
  const passes: { title: string; ms: number }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failed) => {
      const result = { passed: passes.length, failed, passes, failures, timings: (globalThis as { gradlensTimings?: unknown }).gradlensTimings ?? {} };
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
      if (failed) reject(new Error(`${failed} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (test) => passes.push({ title: test.fullTitle(), ms: test.duration ?? 0 }));
    runner.on('fail', (test, err: Error) => failures.push({ title: test.fullTitle(), error: err.stack ?? String(err) }));
  });
}
