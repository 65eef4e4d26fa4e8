// `npm run bench`: Gradlens against real PyTorch (Debian's python3-torch with OpenBLAS), both
// measured in this run on this machine, printed as ratios. Issue 6's rows; not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createWasmBackend, plainBackend, Session, setBackend } from '../src/engine';
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

function kernelStep(threads: 1 | 2) {
  // Our kernel uses both cores (a helper thread) either way; PyTorch gets the thread count named in the row.
  const theirs = JSON.parse(execFileSync(python, [join(__dirname, 'lesson13-step.py'), String(threads), String(reps)], { encoding: 'utf8' })).ms as number;
  setBackend(createWasmBackend());
  const s = new Session();
  const { x, y, params } = lesson13Inputs(s);
  return new Promise<void>((resolve) => setTimeout(() => { // let the helper thread start
    lesson13Step(s, x, y, params);
    const times = Array.from({ length: reps }, () => { const t = performance.now(); lesson13Step(s, x, y, params); return performance.now() - t; });
    row(`lesson 13 step, engine only (2 threads) vs PyTorch ${threads} thread${threads > 1 ? 's' : ''}`, median(times), theirs, 'ms', 1.5);
    setBackend(plainBackend);
    resolve();
  }, 300));
}

async function main() {
  execFileSync('node', ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  console.log(`Gradlens vs PyTorch ${execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim()}` +
    ` on ${cpus().length}× ${cpus()[0]?.model}, median of ${reps}\n`);
  console.log(['row', 'Gradlens', 'PyTorch', 'ratio', 'target'].join('  |  '));
  await kernelStep(1);
  await kernelStep(2);
  wholeFile('lesson 13 at 50000×784', 'bench/models/lesson13_full.py', 1.5, 1.5);
  wholeFile('lesson 14 loop, 400 steps of 50', 'bench/models/lesson14_loop.py', 2);
  console.log('\n| row | Gradlens | PyTorch | ratio | target |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
