// `npm run bench`: Gradlens against real PyTorch (Debian's python3-torch with OpenBLAS), both
// measured in this run on this machine, printed as ratios. Issue 6's rows; not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createNativeBackend, createWasmBackend, plainBackend, Session, setBackend } from '../src/engine';
import { lesson13Inputs, lesson13Step } from './lesson13-step';

const root = join(__dirname, '..');
const python = '/usr/bin/python3';
const reps = Number(process.env.BENCH_REPS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Run { ms: number; peakMB: number }

/** Wall time and peak RSS of a whole process, via GNU time. */
function timeProcess(cmd: string[], env: NodeJS.ProcessEnv = {}): Run {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed:\n${r.stderr}`);
  const peakKB = Number(r.stderr.trim().split('\n').pop());
  return { ms, peakMB: peakKB / 1024 };
}

function medianRun(cmd: string[], env?: NodeJS.ProcessEnv): Run {
  const runs = Array.from({ length: reps }, () => timeProcess(cmd, env));
  return { ms: median(runs.map((r) => r.ms)), peakMB: median(runs.map((r) => r.peakMB)) };
}

const rows: [string, string, string, string, string][] = [];
function row(what: string, ours: number, theirs: number, unit: string, target: number) {
  const ratio = ours / theirs;
  rows.push([what, `${ours.toFixed(0)} ${unit}`, `${theirs.toFixed(0)} ${unit}`, `${ratio.toFixed(2)}×`, `${ratio <= target ? '✓' : '✗'} ≤ ${target}×`]);
  console.log(rows[rows.length - 1].join('  |  '));
}

function wholeFile(label: string, file: string, target: number, memoryTarget?: number) {
  const theirs = medianRun([python, file]);
  const ours = medianRun(['node', 'bin/gradlens.js', 'trace', file, '--json', '/dev/null']);
  row(`${label}: whole process`, ours.ms, theirs.ms, 'ms', target);
  if (memoryTarget) row(`${label}: peak memory`, ours.peakMB, theirs.peakMB, 'MB', memoryTarget);
}

type StepBackend = ReturnType<typeof createWasmBackend> | NonNullable<ReturnType<typeof createNativeBackend>>;

/**
 * The engine's step on a given kernel: the native one (what x86-64 Linux uses), and the wasm one
 * (what every other platform uses) beside it. The same thread count on both sides.
 */
function kernelStep(threads: 1 | 2, kernel: 'native' | 'wasm') {
  const backend: StepBackend | null = kernel === 'native' ? createNativeBackend({ threads }) : createWasmBackend({ threads });
  if (!backend) {
    console.log(`lesson 13 step on the native kernel: skipped (no addon for ${process.platform}-${process.arch})`);
    return Promise.resolve();
  }
  const theirs = JSON.parse(execFileSync(python, [join(__dirname, 'lesson13-step.py'), String(threads), String(reps)], { encoding: 'utf8' })).ms as number;
  setBackend(backend);
  const s = new Session();
  const { x, y, params } = lesson13Inputs(s);
  return new Promise<void>((resolve) => setTimeout(() => { // let the wasm helper thread start
    lesson13Step(s, x, y, params);
    const times = Array.from({ length: reps }, () => { const t = performance.now(); lesson13Step(s, x, y, params); return performance.now() - t; });
    if (backend.threads !== threads) throw new Error(`the engine ran on ${backend.threads} thread(s), not ${threads}`);
    row(`lesson 13 step, engine only (${backend.name}), ${threads} thread${threads > 1 ? 's' : ''} each`, median(times), theirs, 'ms', 1.5);
    setBackend(plainBackend);
    if ('dispose' in backend) backend.dispose();
    resolve();
  }, 300));
}

/** Click → graph in a real VS Code (the e2e browser test's timings), when code-server is installed. */
function clickToGraph(): string[] {
  if (!existsSync(join(root, '.vscode-test/code-server')) || process.env.BENCH_NO_CLICK) return ['click → graph: skipped (no code-server in .vscode-test/, or BENCH_NO_CLICK)'];
  execFileSync('node', ['scripts/e2e.mjs', '--browser', '--vsix-only', '--no-build'], { cwd: root, stdio: 'ignore' });
  const vsix = JSON.parse(readFileSync(join(root, 'test-output/e2e/vsix-result.json'), 'utf8')) as { clickToGraphMs: number | null };
  const t = JSON.parse(readFileSync(join(root, 'test-output/e2e/browser-result.json'), 'utf8')).timings as Record<string, number> & Record<'coldTimeline' | 'warmTimeline' | 'laterNewPanelTimeline' | 'floorTimeline', Timeline | null>;
  const line = (what: string, ms: number, target: number) => `| ${what} | ${ms} ms | — | — | ${ms <= target ? '✓' : '✗'} ≤ ${target} ms |`;
  return [
    line(`click → graph, lesson 13 example, real VS Code: cold, clicked as soon as the window and file are open${where(t.coldTimeline)}`, t.coldClickToGraphMs, 2000),
    line('same, cold, the installed .vsix, clicked 10 s after opening the file (the runtime warmed meanwhile; VS Code\'s first panel)', vsix.clickToGraphMs ?? NaN, 2000),
    line(`same, warm worker, new panel (the window's second webview)${where(t.warmTimeline)}`, t.warmClickToGraphMs, 500),
    // Beside it, VS Code's floor: an empty webview panel of another extension, opened just before.
    `| same, warm worker, a later new panel${where(t.laterNewPanelTimeline)} | ${t.laterNewPanelToGraphMs} ms | ` +
      `VS Code's floor (an empty panel${where(t.floorTimeline)}): ${t.floorNewPanelMs} ms | ${(t.laterNewPanelToGraphMs / t.floorNewPanelMs).toFixed(2)}× | ` +
      `${t.laterNewPanelToGraphMs <= 500 ? '✓' : '✗'} ≤ 500 ms |`,
    line('same, re-trace into the open panel', t.warmRetraceToGraphMs, 500),
  ];
}

/** ms after the click (test/e2e/browser.mjs webviewTimeline). */
interface Timeline { pageStart: number; serviceWorker: number | null; boot?: number; traceReceived?: number | null }

function where(t: Timeline | null): string {
  if (!t) return '';
  const ours = t.boot === undefined ? '' : `, our script runs at ${t.boot} ms, the trace arrives at ${t.traceReceived ?? '?'} ms`;
  return `; VS Code starts the page at ${t.pageStart} ms, its service worker answers at ${t.serviceWorker ?? '?'} ms${ours}`;
}

async function main() {
  execFileSync('node', ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  console.log(`Gradlens vs PyTorch ${execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim()}` +
    ` on ${cpus().length}× ${cpus()[0]?.model}, median of ${reps}\n`);
  console.log(['row', 'Gradlens', 'PyTorch', 'ratio', 'target'].join('  |  '));
  for (const kernel of ['native', 'wasm'] as const) {
    await kernelStep(1, kernel);
    await kernelStep(2, kernel);
  }
  wholeFile('lesson 13 at 50000×784', 'bench/models/lesson13_full.py', 1.5, 1.5);
  wholeFile('lesson 14 loop, 400 steps of 50', 'bench/models/lesson14_loop.py', 2);
  const clicks = clickToGraph();
  console.log('\n| row | Gradlens | PyTorch | ratio | target |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  for (const c of clicks) console.log(c);
}

main().catch((e) => { console.error(e); process.exit(1); });
