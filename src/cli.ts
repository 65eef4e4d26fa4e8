// `gradlens trace FILE [--json OUT] [--full] [--timeout S] [--html OUT] [--memory MB] [--max-nodes N]`
// Exit status: 0 traced, 1 the model file failed (the JSON is still written), 2 bad usage.
import fs from 'fs';
import path from 'path';
import type { Trace } from './shared/trace';
import { renderStandaloneHtml } from './shared/html';
import { createTraceRunner } from './runtime/runner';

const USAGE = `usage: gradlens trace FILE [--json OUT] [--full] [--timeout SECONDS] [--html OUT]
                      [--memory MB] [--max-nodes N] [--quiet]
  Runs FILE (a PyTorch-style model file) in Gradlens' runtime and writes its trace.
  --json OUT      write the trace (format gradlens-trace v1); '-' for stdout
  --full          include every value and gradient (data) in the trace
  --timeout S     stop the model after S seconds (default 60)
  --html OUT      write a self-contained HTML page of the graph
  --memory MB     cap on tensor data (default 4096)
  --max-nodes N   keep at most N nodes of the root's graph
  --quiet         do not echo the model's printed output
exit status: 0 traced, 1 the model file failed, 2 bad usage`;

export interface CliArgs {
  file: string;
  json?: string;
  html?: string;
  full: boolean;
  timeoutMs?: number;
  memoryLimitMB?: number;
  maxNodes?: number;
  quiet: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliArgs {
  const args = [...argv];
  if (args[0] === '--help' || args[0] === '-h') throw new UsageError('');
  if (args.shift() !== 'trace') throw new UsageError("expected the command 'trace'");
  const out: CliArgs = { file: '', full: false, quiet: false };
  const number = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number`);
    return n;
  };
  const value = (flag: string): string => {
    const v = args.shift();
    if (v === undefined || (v.startsWith('--') && v !== '-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  while (args.length) {
    const a = args.shift()!;
    if (a === '--json') out.json = value(a);
    else if (a === '--html') out.html = value(a);
    else if (a === '--full') out.full = true;
    else if (a === '--quiet') out.quiet = true;
    else if (a === '--timeout') out.timeoutMs = number(a, args.shift()) * 1000;
    else if (a === '--memory') out.memoryLimitMB = number(a, args.shift());
    else if (a === '--max-nodes') out.maxNodes = Math.floor(number(a, args.shift()));
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else if (!out.file) out.file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!out.file) throw new UsageError('missing FILE');
  return out;
}

export function summaryLine(trace: Trace, wallMs: number): string {
  const root = trace.root === null ? 'no root' : `root #${trace.root}`;
  const rootNode = trace.nodes.find((n) => n.id === trace.root);
  const what = rootNode ? ` (${rootNode.label ?? rootNode.names[0] ?? rootNode.op})` : '';
  const err = trace.error ? `, ${trace.error.type}` : '';
  return `${path.basename(trace.file)}: ${trace.nodes.length} nodes, ${root}${what}${err}, ${(wallMs / 1000).toFixed(2)} s`;
}

function webviewAssets(): { js: string; css: string } | null {
  const dirs = [path.join(__dirname, 'webview'), path.join(__dirname, '..', 'dist', 'webview')];
  for (const d of dirs) {
    const js = path.join(d, 'main.js'), css = path.join(d, 'main.css');
    if (fs.existsSync(js)) return { js: fs.readFileSync(js, 'utf8'), css: fs.existsSync(css) ? fs.readFileSync(css, 'utf8') : '' };
  }
  return null;
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`gradlens: ${e.message}\n`);
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    throw e;
  }
  const file = path.resolve(args.file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    process.stderr.write(`gradlens: no such file: ${args.file}\n`);
    return 2;
  }
  const assets = args.html ? webviewAssets() : null;
  if (args.html && !assets) {
    process.stderr.write('gradlens: --html needs the webview bundle (dist/webview/main.js); run `npm run build`\n');
    return 2;
  }
  const runner = createTraceRunner({ warmUp: false }); // one trace: a warm-up would only add to it
  const t0 = Date.now();
  let trace: Trace;
  try {
    trace = await runner.trace(file, {
      full: args.full, timeoutMs: args.timeoutMs, memoryLimitMB: args.memoryLimitMB, maxNodes: args.maxNodes,
      onOutput: args.quiet || args.json === '-' ? undefined : (text) => process.stderr.write(text),
    });
  } finally {
    await runner.dispose();
  }
  const wall = Date.now() - t0;
  if (args.json === '-') process.stdout.write(JSON.stringify(trace) + '\n');
  else if (args.json) fs.writeFileSync(args.json, JSON.stringify(trace));
  if (args.html && assets) fs.writeFileSync(args.html, renderStandaloneHtml(trace, assets));
  if (trace.error) {
    const e = trace.error;
    process.stderr.write(`${args.file}:${e.line ?? '?'}: ${e.type}: ${e.message}\n`);
  }
  if (args.json !== '-') process.stdout.write(summaryLine(trace, wall) + '\n');
  return trace.error ? 1 : 0;
}

if (require.main === module || process.argv[1]?.endsWith('gradlens.js')) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: Error) => {
    process.stderr.write(`gradlens: ${e.stack ?? e}\n`);
    process.exit(2);
  });
}
