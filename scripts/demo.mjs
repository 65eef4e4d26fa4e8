/* global fetch, setTimeout, URLSearchParams */
// `npm run demo`: install what is missing, build, start a real VS Code (code-server 4.100.3 =
// VS Code 1.100.3) on 127.0.0.1 with Gradlens loaded unpacked and examples/ open; print the address.
// Stop it with Ctrl+C. PORT=… picks the port (default 8080, or a free one if that is taken).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

if (!fs.existsSync(path.join(root, 'node_modules', 'pyodide'))) {
  console.log('── npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
const { codeServerBin, codeServerEnv, prepareRunDir } = await import('../test/e2e/harness.mjs');
if (!fs.existsSync(codeServerBin)) {
  console.log('── installing code-server 4.100.3 into .vscode-test/ (once, 1–2 minutes)');
  run('bash', [path.join(root, 'scripts', 'install-code-server.sh'), path.join(root, '.vscode-test', 'code-server')]);
}
console.log('── build');
run(process.execPath, [path.join(root, 'esbuild.js')]);

const runDir = path.join(root, '.vscode-test', 'demo');
if (!fs.existsSync(path.join(runDir, 'ud', 'User', 'settings.json'))) prepareRunDir(runDir, { 'workbench.colorTheme': 'Default Dark Modern' });

const port = await pickPort(Number(process.env.PORT ?? 8080));
const child = spawn(codeServerBin, [
  '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override',
  '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts'),
], { env: codeServerEnv(runDir), stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; i < 300; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
  } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 200));
}
const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]]);
const url = `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: path.join(root, 'examples'), payload })}`;
console.log(`\nGradlens is running in VS Code 1.100.3 (code-server 4.100.3) at:\n\n  ${url}\n\nOpen a model file (lesson13_mlp.py), then click Trace Backward in the editor title bar,\nthe CodeLens above loss.backward(), or press Ctrl+Alt+G. Ctrl+C stops the server.`);
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));

function pickPort(preferred) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => {
      const t = net.createServer();
      t.listen(0, '127.0.0.1', () => {
        const { port: p } = t.address();
        t.close(() => resolve(p));
      });
    });
    s.listen(preferred, '127.0.0.1', () => s.close(() => resolve(preferred)));
  });
}

