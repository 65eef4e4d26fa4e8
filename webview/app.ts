// The page: toolbar, graph, hover card, details panel; wires the host messages, layout and input.
import type { HostMessage } from '../src/shared/protocol';
import type { Trace, TraceNode } from '../src/shared/trace';
import { renderDetails, renderOverview } from './details';
import { escapeHtml } from './format';
import { GraphModel, type VisibleGraph } from './graph';
import type { Host } from './host';
import { hoverCardHtml } from './hover';
import { neighbour, type Direction } from './keyboard';
import type { LayoutResult } from './layout';
import { LayoutClient } from './layout-client';
import { GraphRenderer, nodeSize } from './render';
import { Search } from './search';
import { Viewport } from './viewport';

export class App {
  model: GraphModel | null = null;
  renderer: GraphRenderer | null = null;
  viewport: Viewport | null = null;
  layout: LayoutResult | null = null;
  visible: VisibleGraph | null = null;
  selected: number | null = null;
  focused: string | null = null;
  highlightedLine: number | null = null;
  readonly layoutClient = new LayoutClient();
  readonly timings = { modelMs: 0, layoutMs: 0, renderMs: 0, engine: '' };
  private readonly frame: HTMLElement;
  private readonly card: HTMLElement;
  private readonly details: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly status: HTMLElement;
  private readonly search: Search;

  constructor(private readonly host: Host, root: HTMLElement) {
    root.innerHTML = `<div class="toolbar" role="toolbar" aria-label="Graph">` +
      `<span class="title"><i class="codicon codicon-type-hierarchy-sub"></i><span class="file"></span></span>` +
      `<vscode-textfield class="search" placeholder="Search name or op  ( / )" aria-label="Search nodes by name or op"><i slot="content-before" class="codicon codicon-search"></i></vscode-textfield>` +
      `<span class="matches muted" aria-live="polite"></span><span class="spacer"></span>` +
      button('fit', 'screen-full', 'Fit graph (F)') + button('zoom-in', 'zoom-in', 'Zoom in (+)') + button('zoom-out', 'zoom-out', 'Zoom out (−)') +
      button('collapse', 'collapse-all', 'Collapse all calls') + button('expand', 'expand-all', 'Expand all calls') +
      (host.standalone ? '' : button('retrace', 'refresh', 'Trace again')) + `</div>` +
      `<div class="banner" role="alert" hidden></div>` +
      `<div class="main"><div class="frame" tabindex="0" role="application" aria-label="Backward graph; arrows move between nodes, Enter opens details"><div class="status muted"></div></div>` +
      `<div class="hovercard" role="tooltip" hidden></div><aside class="details" aria-label="Details"></aside></div>`;
    this.frame = root.querySelector('.frame')!;
    this.card = root.querySelector('.hovercard')!;
    this.details = root.querySelector('.details')!;
    this.banner = root.querySelector('.banner')!;
    this.status = root.querySelector('.status')!;
    this.search = new Search(root.querySelector('.search')!, root.querySelector('.matches')!, this);
    root.querySelector('.toolbar')!.addEventListener('click', (e) => this.onToolbar(e));
    this.wireGraphEvents();
    host.onMessage((m) => this.onHostMessage(m));
  }

  onHostMessage(m: HostMessage): void {
    switch (m.type) {
      case 'trace': void this.showTrace(m.trace); break;
      case 'highlightLine': this.highlightLine(m.line); break;
      case 'busy': this.setStatus(m.busy ? (m.message ?? 'Tracing…') : ''); break;
      case 'error': this.showBanner(m.message); break;
      case 'sliceReply': break;
    }
  }

  async showTrace(trace: Trace): Promise<void> {
    const t0 = performance.now();
    this.model = new GraphModel(trace);
    this.model.defaultCollapse();
    this.timings.modelMs = performance.now() - t0;
    const saved = this.host.state;
    if (saved.collapsed && trace.file === this.host.state.file) { this.model.collapsed.clear(); saved.collapsed.forEach((k) => this.model!.collapsed.add(k)); }
    this.frame.querySelector('.world')?.remove();
    this.renderer = new GraphRenderer(this.model, this.frame);
    this.viewport = new Viewport(this.frame, this.renderer.world);
    this.viewport.onChange = () => { this.hideCard(); this.scheduleUpdate(); };
    const fileLabel = (this.frame.closest('.app') ?? document.body).querySelector<HTMLElement>('.file')!;
    fileLabel.textContent = baseName(trace.file);
    fileLabel.title = trace.file;
    this.selected = null;
    const e = trace.error;
    if (e) this.showBanner(`${e.type}: ${e.message}${e.line ? ` (line ${e.line})` : ''}`, e.line ?? undefined);
    else this.showBanner('');
    renderOverview(this.details, this.model);
    await this.relayout(true);
    if (saved.selected !== undefined && saved.selected !== null && this.model.byId.has(saved.selected)) this.select(saved.selected);
  }

  async relayout(fit: boolean): Promise<void> {
    const model = this.model!;
    const visible = model.visible();
    this.setStatus(`Laying out ${visible.nodes.length} nodes…`);
    const t0 = performance.now();
    let layout: LayoutResult;
    try {
      layout = await this.layoutClient.layout({
        nodes: visible.nodes.map((v) => ({ id: v.id, ...nodeSize(v.id) })),
        edges: visible.edges.map((e) => ({ from: e.from, to: e.to })),
        clusters: visible.clusters.map((c) => ({ id: `c:${c.group.key}`, parent: c.parent })),
        parentOf: [...visible.parentOf],
      });
    } catch (err) {
      if ((err as Error).message !== 'cancelled') this.setStatus(`Layout failed: ${(err as Error).message}`);
      return;
    }
    if (model !== this.model) return;
    const t1 = performance.now();
    this.visible = visible;
    this.layout = layout;
    this.viewport!.setContentSize(layout.width, layout.height);
    if (fit) this.viewport!.fit(true);
    else this.viewport!.apply();
    this.renderer!.render(visible, layout);
    this.renderer!.update(this.viewport!.view());
    this.timings.layoutMs = t1 - t0;
    this.timings.renderMs = performance.now() - t1;
    this.timings.engine = layout.engine;
    this.setStatus(model.trace.nodes.length ? '' : 'The trace has no nodes: nothing reached the root.');
    this.search.refresh();
    if (this.highlightedLine !== null) this.highlightLine(this.highlightedLine);
    if (this.selected !== null) this.markSelected();
    this.frame.dataset.ready = String(Date.now());
    this.host.saveState({ ...this.host.state, collapsed: [...model.collapsed], file: model.trace.file });
  }

  select(id: number | null): void {
    if (!this.model) return;
    this.selected = id;
    this.markSelected();
    const n = id === null ? undefined : this.model.byId.get(id);
    if (!n) renderOverview(this.details, this.model);
    else renderDetails(this.details, this.model, n, {
      goToSource: (x) => this.goToSource(x),
      loadSlice: (x, which) => this.host.requestSlice(x.id, which),
      canLoadSlices: !this.host.standalone,
    });
    this.host.saveState({ ...this.host.state, selected: id });
  }

  private markSelected(): void {
    this.renderer?.setMark('selected', this.selected === null ? [] : [`n:${this.selected}`]);
  }

  private updateScheduled = false;
  private scheduleUpdate(): void {
    if (this.updateScheduled) return;
    this.updateScheduled = true;
    requestAnimationFrame(() => {
      this.updateScheduled = false;
      if (this.viewport) this.renderer?.update(this.viewport.view());
    });
  }

  goToSource(n: TraceNode): void {
    if (!n.loc) return;
    if (this.host.standalone) this.setStatus(`${this.model?.trace.file}:${n.loc.line}:${n.loc.column}`, 4000);
    else this.host.post({ type: 'goToSource', line: n.loc.line, column: n.loc.column });
  }

  highlightLine(line: number | null): void {
    this.highlightedLine = line;
    if (line === null || !this.model) { this.renderer?.setMark('line-hit', []); return; }
    const reps = new Set(this.model.trace.nodes.filter((n) => n.loc?.line === line).map((n) => this.model!.representative(n.id)));
    this.renderer?.setMark('line-hit', reps);
    const first = [...reps][0];
    if (first && this.layout?.nodes[first]) this.viewport?.reveal(this.layout.nodes[first]);
  }

  /** Opens every collapsed call holding `id`, lays out again, and centres it. */
  async reveal(id: number): Promise<void> {
    if (!this.model) return;
    let changed = false;
    for (const g of this.model.groups) if (g.members.includes(id) && this.model.collapsed.delete(g.key)) changed = true;
    if (this.model.representative(id) !== `n:${id}`) {
      const leafHolder = this.model.representative(id).slice(2);
      if (this.model.collapsed.delete(leafHolder)) changed = true;
    }
    if (changed) await this.relayout(false);
    const box = this.layout?.nodes[`n:${id}`];
    if (box) this.viewport?.centerOn(box);
    this.focusNode(`n:${id}`);
  }

  async toggleGroup(key: string): Promise<void> {
    if (!this.model) return;
    if (!this.model.collapsed.delete(key)) this.model.collapsed.add(key);
    await this.relayout(false);
    if (!this.focusNode(`g:${key}`)) this.focusNode(this.focused ?? '');
  }

  focusNode(vid: string): boolean {
    const box = this.layout?.nodes[vid];
    if (box) this.viewport?.reveal(box);
    if (box && this.viewport) this.renderer?.update(this.viewport.view());
    const el = this.renderer?.element(vid);
    if (!el) return false;
    if (this.focused) this.renderer?.elements.get(this.focused)?.setAttribute('tabindex', '-1');
    this.focused = vid;
    this.renderer?.pin(vid);
    el.setAttribute('tabindex', '0');
    el.focus({ preventScroll: true });
    return true;
  }

  showCard(el: HTMLElement): void {
    const id = Number(el.dataset.id);
    const n = this.model?.byId.get(id);
    if (!n || Number.isNaN(id)) { this.hideCard(); return; }
    this.card.innerHTML = hoverCardHtml(this.model!, n);
    this.card.hidden = false;
    const r = el.getBoundingClientRect(), area = this.frame.getBoundingClientRect();
    const cw = this.card.offsetWidth, ch = this.card.offsetHeight;
    let x = r.right + 10 - area.left;
    if (x + cw > area.width) x = Math.max(4, r.left - area.left - cw - 10);
    const y = Math.min(Math.max(4, r.top - area.top), Math.max(4, area.height - ch - 4));
    this.card.style.left = `${x}px`;
    this.card.style.top = `${y}px`;
  }

  hideCard(): void {
    this.card.hidden = true;
  }

  private wireGraphEvents(): void {
    const nodeOf = (t: EventTarget | null) => (t instanceof Element ? t.closest<HTMLElement>('.node') : null);
    this.frame.addEventListener('pointerover', (e) => { const el = nodeOf(e.target); if (el) this.showCard(el); });
    this.frame.addEventListener('pointerout', (e) => { if (nodeOf(e.target) && !nodeOf(e.relatedTarget)) this.hideCard(); });
    this.frame.addEventListener('click', (e) => {
      const title = (e.target as Element).closest<HTMLElement>('[data-collapse]');
      if (title) { void this.toggleGroup(title.dataset.collapse!); return; }
      const el = nodeOf(e.target);
      if (el) { this.activate(el.dataset.vid!); return; }
      if (this.renderer?.overview) {
        const r = this.frame.getBoundingClientRect();
        const hit = this.renderer.hit(e.clientX - r.left, e.clientY - r.top);
        const box = hit ? this.layout?.nodes[hit] : undefined;
        if (hit && box) { this.viewport?.centerOn(box, 0.8); this.focusNode(hit); }
      }
    });
    this.frame.addEventListener('dblclick', (e) => {
      const n = this.model?.byId.get(Number(nodeOf(e.target)?.dataset.id));
      if (n) this.goToSource(n);
    });
    this.frame.addEventListener('focusin', (e) => { const el = nodeOf(e.target); if (el) { this.focused = el.dataset.vid!; this.showCard(el); } });
    this.frame.addEventListener('keydown', (e) => this.onKey(e));
  }

  private activate(vid: string): void {
    this.focusNode(vid);
    if (vid.startsWith('g:')) void this.toggleGroup(vid.slice(2));
    else this.select(Number(vid.slice(2)));
  }

  private onKey(e: KeyboardEvent): void {
    const dirs: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };
    if (dirs[e.key] && this.layout && this.visible) {
      e.preventDefault();
      const from = this.focused && this.layout.nodes[this.focused] ? this.focused : this.visible.nodes[0]?.id;
      const to = from === this.focused ? neighbour(this.layout, this.visible, from!, dirs[e.key]) : from;
      if (to) this.focusNode(to);
    } else if ((e.key === 'Enter' || e.key === ' ') && this.focused && (e.target as Element).closest('.node')) {
      e.preventDefault();
      this.activate(this.focused);
    } else if (e.key === 'Escape') {
      this.hideCard();
      this.select(null);
    } else if (e.key === 'f' || e.key === 'F') this.viewport?.fit();
    else if (e.key === '+' || e.key === '=') this.viewport?.zoomBy(1.25);
    else if (e.key === '-') this.viewport?.zoomBy(0.8);
    else if (e.key === '/') { e.preventDefault(); this.search.focus(); }
    else if (e.key === 'g' && this.focused?.startsWith('n:')) { const n = this.model?.byId.get(Number(this.focused.slice(2))); if (n) this.goToSource(n); }
  }

  private onToolbar(e: Event): void {
    const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (!action) return;
    if (action === 'fit') this.viewport?.fit();
    else if (action === 'zoom-in') this.viewport?.zoomBy(1.25);
    else if (action === 'zoom-out') this.viewport?.zoomBy(0.8);
    else if (action === 'retrace') this.host.post({ type: 'retrace' });
    else if (this.model && (action === 'collapse' || action === 'expand')) {
      this.model.collapsed.clear();
      if (action === 'collapse') for (const g of this.model.groups) this.model.collapsed.add(g.key);
      void this.relayout(true);
    }
  }

  showBanner(message: string, line?: number): void {
    this.banner.hidden = !message;
    this.banner.innerHTML = message ? `<i class="codicon codicon-error"></i><span>${escapeHtml(message)}</span>` +
      (line ? ` <button class="link" data-line="${line}">go to line ${line}</button>` : '') : '';
    this.banner.querySelector('button')?.addEventListener('click', () => {
      if (this.host.standalone) this.setStatus(`${this.model?.trace.file}:${line}`, 4000);
      else this.host.post({ type: 'goToSource', line: line!, column: 1 });
    });
  }

  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  setStatus(text: string, clearAfterMs?: number): void {
    this.status.textContent = text;
    this.status.hidden = !text;
    clearTimeout(this.statusTimer);
    if (clearAfterMs) this.statusTimer = setTimeout(() => this.setStatus(''), clearAfterMs);
  }
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function button(action: string, icon: string, title: string): string {
  return `<button class="icon-button" data-action="${action}" title="${title}" aria-label="${title}"><i class="codicon codicon-${icon}"></i></button>`;
}
