// Bundles the webview: webview/main.ts → OUTDIR/main.js + main.css (iife, browser). The layout
// worker is bundled first and inlined as a string, so it can start from a blob URL under CSP.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildWebview({ outdir = path.join(here, '..', 'dist', 'webview'), minify = false } = {}) {
  const common = { bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', minify, logLevel: 'warning' };
  const worker = await esbuild.build({ ...common, entryPoints: [path.join(here, 'layout-worker.ts')], write: false });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(here, 'main.ts')],
    outdir,
    entryNames: 'main',
    loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
    define: { GRADLENS_LAYOUT_WORKER: JSON.stringify(worker.outputFiles[0].text) },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWebview({ minify: process.argv.includes('--minify') }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
