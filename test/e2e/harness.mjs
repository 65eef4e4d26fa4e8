/* global fetch, setTimeout, clearTimeout, URLSearchParams */
// Start a real VS Code (code-server 4.100.3 = VS Code 1.100.3) on 127.0.0.1 and drive it with
// playwright-core + Debian's Chromium. See ../../../shared/vscode-harness/README.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerDir = path.join(root, '.vscode-test', 'code-server');
export const codeServerBin = path.join(codeServerDir, 'node_modules', '.bin', 'code-server');
export const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh user-data dir with quiet settings, so no walkthrough or update nag covers the UI. */
export function prepareRunDir(runDir, settings = {}) {
  fs.rmSync(runDir, { recursive: true, force: true });
  for (const d of ['ud/User', 'exts', 'tmp', 'xdg/config', 'xdg/data', 'xdg/cache']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'ud', 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'chat.commandCenter.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.openRepositoryInParentFolders': 'never',
    'git.enabled': false,
    ...settings,
  }, null, 2));
  return runDir;
}

export function codeServerEnv(runDir, extra = {}) {
  return {
    ...process.env,
    TMPDIR: path.join(runDir, 'tmp'),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg', 'cache'),
    ...extra,
  };
}

export function installVsix(runDir, vsix) {
  return new Promise((resolve, reject) => {
    const p = spawn(codeServerBin, ['--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts'), '--install-extension', vsix],
      { env: codeServerEnv(runDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`--install-extension failed (${code}):\n${out}`))));
  });
}

/** Starts code-server; resolves once /healthz answers. `trust: true` keeps Workspace Trust on. */
export async function startCodeServer({ runDir, env = {}, trust = false, log = path.join(runDir, 'code-server.log') }) {
  if (!fs.existsSync(codeServerBin)) throw new Error(`code-server is not installed: run scripts/install-code-server.sh ${path.relative(root, codeServerDir)}`);
  const port = await freePort();
  const logStream = fs.createWriteStream(log);
  const child = spawn(codeServerBin, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts'),
  ], { env: codeServerEnv(runDir, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  let exited = false;
  child.on('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  const start = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited; see ${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() - start > 60_000) throw new Error(`code-server did not start in 60 s; see ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    base,
    child,
    /** The workbench URL: `folder` open, the payload entries (extensionDevelopmentPath, extensionTestsPath) as remote URIs. */
    url(folder, payload = {}) {
      const entries = Object.entries(payload).map(([k, v]) => [k, `vscode-remote://127.0.0.1:${port}${v}`]);
      const q = new URLSearchParams({ folder });
      if (entries.length) q.set('payload', JSON.stringify(entries));
      return `${base}/?${q}`;
    },
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await done;
      clearTimeout(t);
    },
  };
}

export async function launchBrowser() {
  const { chromium: pw } = await import('playwright-core');
  return pw.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function waitForWorkbench(page, timeout = 60_000) {
  await page.waitForSelector('.monaco-workbench', { timeout });
  await page.waitForSelector('.statusbar', { timeout });
}

/** The webview's content frame: two iframes deep (VS Code's outer host frame, then the content). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

export async function waitForFile(file, timeoutMs, isAlive = () => true) {
  const start = Date.now();
  while (!fs.existsSync(file)) {
    if (!isAlive()) throw new Error(`gave up waiting for ${file}: the server is gone`);
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
