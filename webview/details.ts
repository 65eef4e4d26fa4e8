// The side panel: an overview of the run (loss curve, output, error) when nothing is selected,
// and for a selected node its value, gradient and your `.g`: heatmap, histogram, stats, values.
import type { Summary, TraceNode } from '../src/shared/trace';
import type { SliceKind } from '../src/shared/protocol';
import { heatmap, histogram, lossCurve } from './charts';
import { escapeHtml, num, numel, shapeTuple } from './format';
import type { GraphModel } from './graph';
import { gradCheck } from './gradcheck';

const MAX_VALUES_SHOWN = 2000;

export interface DetailsActions {
  goToSource(n: TraceNode): void;
  loadSlice(n: TraceNode, which: SliceKind): Promise<Summary>;
  canLoadSlices: boolean;
}

export function renderOverview(panel: HTMLElement, model: GraphModel): void {
  const t = model.trace;
  const checks = t.nodes.map(gradCheck).filter((c) => c !== null);
  const bad = checks.filter((c) => c.status === 'mismatch').length;
  const root = t.root !== null ? model.byId.get(t.root) : undefined;
  panel.innerHTML = `<h2 title="${escapeHtml(t.file)}">${escapeHtml(t.file.split(/[\\/]/).pop() || t.file)}</h2>` +
    `<div class="kv"><span>nodes</span><span>${t.nodes.length}${t.truncated ? ` (+${t.truncated} not shown)` : ''}</span></div>` +
    (root ? `<div class="kv"><span>root</span><span>${escapeHtml(model.name(root) || root.op)} = ${num(root.value.data?.[0] ?? root.value.mean, 5)}</span></div>` : '') +
    (checks.length ? `<div class="kv"><span>your .g</span><span class="chip check ${bad ? 'mismatch' : 'match'}">${bad ? `${bad} of ${checks.length} differ` : `all ${checks.length} match`}</span></div>` : '') +
    (t.timing ? `<div class="kv"><span>time</span><span>${Math.round(t.timing.totalMs)} ms (run ${Math.round(t.timing.runMs)} ms)</span></div>` : '') +
    (t.losses.length > 1 ? `<h3>Loss</h3>${lossCurve(t.losses)}` : '') +
    (t.output ? `<h3>Output</h3><pre class="output">${escapeHtml(t.output)}</pre>` : '') +
    `<p class="muted small">Hover a node for its Jacobian and VJP; click it for values and gradients. Keys: arrows move, Enter opens, / searches, F fits, Shift+F shows the whole graph; scroll to pan, Ctrl+scroll to zoom.</p>`;
}

export function renderDetails(panel: HTMLElement, model: GraphModel, n: TraceNode, actions: DetailsActions): void {
  const name = model.name(n);
  panel.innerHTML = '';
  const head = el('div', 'details-head');
  head.innerHTML = `<h2><span class="opname">${escapeHtml(n.op)}</span> ${escapeHtml(name)}</h2>` +
    `<div class="kv"><span>shape</span><code>${shapeTuple(n.shape)}</code> <span class="muted">${numel(n.shape).toLocaleString('en-US')} elements · ${n.dtype}</span></div>`;
  if (n.loc) {
    const link = el('button', 'link');
    link.innerHTML = `<i class="codicon codicon-go-to-file"></i> line ${n.loc.line}${n.loc.func && n.loc.func !== '<module>' ? ` in ${escapeHtml(n.loc.func)}` : ''}`;
    link.title = 'Go to source';
    link.addEventListener('click', () => actions.goToSource(n));
    head.append(link);
  }
  panel.append(head);
  const check = gradCheck(n);
  if (check) {
    const box = el('div', `compare ${check.status}`);
    box.innerHTML = `<span class="chip check ${check.status}"><i class="codicon codicon-${check.status === 'match' ? 'pass' : 'error'}"></i> ${check.status === 'match' ? 'match' : 'mismatch'}</span> ` +
      `<span>${n.userGradShape ? `<b>wrong shape:</b> ${escapeHtml(check.detail)}` : `your <code>${escapeHtml(model.formulaName(n))}.g</code> vs the engine's gradient`}</span>` +
      (n.userGradDiff ? `<div class="small">${escapeHtml(check.detail)}</div>` : '');
    panel.append(box);
  }
  const tabs = document.createElement('vscode-tabs');
  tabs.setAttribute('selected-index', '0');
  const kinds: [SliceKind, string, Summary | null][] = [['value', 'Value', n.value], ['grad', 'Gradient', n.grad], ['userGrad', 'Your .g', n.userGrad]];
  const diff = difference(n);
  for (const [which, title, s] of kinds) {
    if (!s && which === 'userGrad') continue;
    const header = document.createElement('vscode-tab-header');
    header.setAttribute('slot', 'header');
    header.textContent = title;
    const body = document.createElement('vscode-tab-panel');
    body.append(summaryView(n, which, s, actions));
    tabs.append(header, body);
  }
  if (diff) {
    const header = document.createElement('vscode-tab-header');
    header.setAttribute('slot', 'header');
    header.textContent = 'Your .g − grad';
    const body = document.createElement('vscode-tab-panel');
    body.append(summaryView(n, 'userGrad', diff, { ...actions, canLoadSlices: false }));
    tabs.append(header, body);
  }
  panel.append(tabs);
}

/** Where your `.g` is off: element-wise (small tensors) or block means of the two downsampled images. */
function difference(n: TraceNode): Summary | null {
  const u = n.userGrad, g = n.grad;
  if (!u || !g || n.userGradShape) return null;
  const sub = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
  let data: number[] | undefined, image: Summary['image'];
  if (u.data && g.data && u.data.length === g.data.length) data = sub(u.data, g.data);
  else if (u.image && g.image && u.image.data.length === g.image.data.length) image = { ...u.image, data: sub(u.image.data, g.image.data) };
  const values = data ?? image?.data;
  if (!values?.length) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  const min = Math.min(...values), max = Math.max(...values);
  return { min, max, mean, std, absMean: values.reduce((a, b) => a + Math.abs(b), 0) / values.length, data, image };
}

function summaryView(n: TraceNode, which: SliceKind, s: Summary | null, actions: DetailsActions): HTMLElement {
  const box = el('div', 'summary');
  if (!s) {
    box.innerHTML = `<p class="muted">No gradient: the root does not depend on this tensor through differentiable ops.</p>`;
    return box;
  }
  const shape = which === 'userGrad' && n.userGradShape ? n.userGradShape : n.shape;
  const map = heatmap(s, shape);
  if (map) box.append(map);
  else if (s.min === s.max) box.append(Object.assign(el('p', 'muted'), { textContent: `every element is ${num(s.min, 4)}` }));
  const hist = el('div');
  hist.innerHTML = histogram(s);
  box.append(hist);
  const stats = el('div', 'stats-grid');
  const cells: [string, string][] = [['min', num(s.min, 4)], ['max', num(s.max, 4)], ['mean', num(s.mean, 4)], ['std', num(s.std, 4)], ['mean |x|', num(s.absMean, 4)]];
  if (s.nonFinite) cells.push(['NaN/inf', String(s.nonFinite)]);
  stats.innerHTML = cells.map(([k, v]) => `<span>${k}</span><code>${v}</code>`).join('');
  box.append(stats);
  const all = s.data ?? s.head ?? [];
  const values = all.slice(0, MAX_VALUES_SHOWN);
  const total = numel(shape);
  const list = el('div', 'values');
  const complete = !!s.data && values.length === all.length;
  list.innerHTML = `<h4>${complete ? 'values' : `first ${values.length} of ${total.toLocaleString('en-US')} values`}</h4><code>${values.map((v) => num(v, 4)).join('  ')}</code>`;
  if (all.length) box.append(list);
  if (!s.data && actions.canLoadSlices) {
    const more = el('button', 'link') as HTMLButtonElement;
    more.textContent = 'Load all values';
    more.addEventListener('click', () => {
      more.disabled = true;
      actions.loadSlice(n, which).then((full) => { box.replaceWith(summaryView(n, which, { ...s, ...full }, actions)); },
        (e: Error) => { more.textContent = e.message; });
    });
    box.append(more);
  }
  return box;
}

function el(tag: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}
