// The page: graph, hover card, details panel (their markup and the toolbar: ./page.ts); wires the
// host messages, layout and input.
// Below NARROW_PX (VS Code's panel beside the editor) the details panel becomes a drawer under the
// graph: a one-line handle when closed, opened by a click on a node.
import type { HostMessage } from '../src/shared/protocol';
import type { Trace, TraceNode } from '../src/shared/trace';
import { renderDetails, renderOverview } from './details';
import { escapeHtml, num, shapeTuple } from './format';
import { GraphModel, type VisibleGraph } from './graph';
import type { Host } from './host';
import { hoverCardHtml } from './hover';
import { wireGraphInput } from './input';
import type { LayoutResult } from './layout';
import { LayoutClient } from './layout-client';
import { pageHtml, wireToolbar } from './page';
import { GraphRenderer, nodeSize } from './render';
import { Search } from './search';
import { Viewport } from './viewport';

export const NARROW_PX = 820;

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
  /** The host's number for the trace shown (requests name it). */
  private traceSeq = 0;
  private readonly frame: HTMLElement;
  private readonly card: HTMLElement;
  private readonly details: HTMLElement;
  private readonly drawer: HTMLElement;
  private readonly handle: HTMLElement;
  private readonly jumpRoot: HTMLElement;
  private readonly root: HTMLElement;
  /** The drawer's state below NARROW_PX; wide, the details panel is always shown. */
  drawerOpen = false;
  private readonly banner: HTMLElement;
  private readonly status: HTMLElement;
  readonly search: Search;

  constructor(private readonly host: Host, root: HTMLElement) {
    this.root = root;
    root.innerHTML = pageHtml(host.standalone);
    this.frame = root.querySelector('.frame')!;
    this.card = root.querySelector('.hovercard')!;
    this.details = root.querySelector('.details')!;
    this.drawer = root.querySelector('.drawer')!;
    this.handle = root.querySelector('.drawer-handle')!;
    this.jumpRoot = root.querySelector('.jump-root')!;
    this.handle.addEventListener('click', () => this.setDrawer(!this.drawerOpen));
    this.jumpRoot.addEventListener('click', () => this.showRoot());
    new ResizeObserver(() => this.onResize()).observe(this.frame);
    this.onResize();
    this.banner = root.querySelector('.banner')!;
    this.status = root.querySelector('.status')!;
    this.search = new Search(root.querySelector('.search')!, root.querySelector('.matches')!, this);
    wireToolbar(root.querySelector('.toolbar')!, this, host);
    wireGraphInput(this, this.frame);
    host.onMessage((m) => this.onHostMessage(m));
  }

  onHostMessage(m: HostMessage): void {
    switch (m.type) {
      case 'trace':
        performance.mark('gradlens:trace-received');
        this.traceSeq = m.seq ?? 0;
        void this.showTrace(m.trace, !!m.imagesOnRequest);
        break;
      case 'highlightLine': this.highlightLine(m.line); break;
      case 'busy': this.setStatus(m.busy ? (m.message ?? 'Tracing…') : ''); break;
      case 'error': this.showBanner(m.message); break;
      case 'sliceReply': break;
    }
  }

  async showTrace(trace: Trace, imagesOnRequest = false): Promise<void> {
    const t0 = performance.now();
    this.model = new GraphModel(trace);
    this.model.imagesOnRequest = imagesOnRequest;
    this.model.defaultCollapse();
    this.timings.modelMs = performance.now() - t0;
    const saved = this.host.state;
    if (saved.collapsed && trace.file === this.host.state.file) { this.model.collapsed.clear(); saved.collapsed.forEach((k) => this.model!.collapsed.add(k)); }
    this.frame.querySelector('.world')?.remove();
    this.renderer = new GraphRenderer(this.model, this.frame);
    this.viewport = new Viewport(this.frame, this.renderer.world);
    this.viewport.onChange = () => { this.hideCard(); this.scheduleUpdate(); };
    this.drawerOpen = false;
    const fileLabel = (this.frame.closest('.app') ?? document.body).querySelector<HTMLElement>('.file')!;
    fileLabel.textContent = baseName(trace.file);
    fileLabel.title = trace.file;
    this.selected = null;
    const e = trace.error;
    if (e) this.showBanner(`${e.type}: ${e.message}${e.line ? ` (line ${e.line})` : ''}`, e.line ?? undefined);
    else this.showBanner('');
    renderOverview(this.details, this.model);
    this.updateDrawer();
    await this.relayout(true);
    // Ids are positions in the trace: the same id in an edited file may be another node.
    const again = saved.selected === undefined || saved.selected === null ? undefined : this.model.byId.get(saved.selected);
    if (again && nodeKey(again) === saved.selectedKey) this.select(again.id);
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
    if (fit) this.fit();
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
    else this.renderDetails(this.model, n);
    this.setDrawer(id !== null);
    this.host.saveState({ ...this.host.state, selected: id, selectedKey: n ? nodeKey(n) : undefined });
  }

  private renderDetails(model: GraphModel, n: TraceNode): void {
    const seq = this.traceSeq;
    renderDetails(this.details, model, n, {
      goToSource: (x) => this.goToSource(x),
      loadSlice: (x, which) => this.host.requestSlice(seq, x.id, which),
      canLoadSlices: !this.host.standalone,
    });
    if (!model.needsImages(n.id)) return;
    // Drawn at once without the heatmaps; again with them when the host sends the pictures.
    this.host.requestImages(seq, n.id).then((images) => {
      model.addImages(n.id, images);
      // A 1-D tensor has no picture: nothing to redraw (and the open tab stays as it is).
      if (Object.keys(images).length && this.model === model && this.selected === n.id) this.renderDetails(model, n);
    }, () => { /* a newer trace is on its way: it redraws the details */ });
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
      this.updateJumpRoot();
    });
  }

  get narrow(): boolean {
    return this.root.classList.contains('narrow');
  }

  private lastFrameSize = { width: 0, height: 0 };
  private onResize(): void {
    const width = this.root.clientWidth || window.innerWidth;
    this.root.classList.toggle('narrow', width < NARROW_PX);
    const f = { width: this.frame.clientWidth, height: this.frame.clientHeight };
    const shrank = f.height < this.lastFrameSize.height;
    this.lastFrameSize = f;
    if (!this.viewport) return;
    // The drawer opening over the graph must not hide the node it describes.
    const sel = this.selected !== null ? this.layout?.nodes[`n:${this.selected}`] : undefined;
    if (shrank && sel) this.viewport.reveal(sel);
    this.hideCard();
    this.scheduleUpdate();
  }

  /** Opens or closes the details drawer (narrow layout only; wide, the panel stays). */
  setDrawer(open: boolean): void {
    this.drawerOpen = open;
    this.updateDrawer();
  }

  private updateDrawer(): void {
    this.root.classList.toggle('drawer-open', this.drawerOpen);
    this.handle.setAttribute('aria-expanded', String(this.drawerOpen));
    this.handle.title = this.drawerOpen ? 'Hide details' : 'Show details';
    const text = this.handle.querySelector<HTMLElement>('.handle-text')!;
    const n = this.selected !== null ? this.model?.byId.get(this.selected) : undefined;
    if (n && this.model) text.innerHTML = `<span class="opname">${escapeHtml(n.op)}</span> <b>${escapeHtml(this.model.name(n))}</b> <code class="muted">${shapeTuple(n.shape)}</code>`;
    else if (this.model) {
      const t = this.model.trace, root = t.root !== null ? this.model.byId.get(t.root) : undefined;
      text.innerHTML = `<b>Run</b> <span class="muted">${t.nodes.length} nodes${root ? ` · ${escapeHtml(this.model.name(root) || root.op)} = ${num(root.value.data?.[0] ?? root.value.mean, 5)}` : ''}</span>`;
    } else text.textContent = 'Details';
  }

  /** Fit, keeping the root's column in view when the graph is too big for a legible fit. */
  fit(whole = false): void {
    this.viewport?.fit(this.rootBox(), whole);
  }

  private rootBox() {
    const root = this.model?.trace.root;
    return root !== null && root !== undefined && this.model ? this.layout?.nodes[this.model.representative(root)] : undefined;
  }

  private updateJumpRoot(): void {
    const box = this.rootBox();
    const hide = !box || !this.viewport || this.viewport.shows(box);
    this.jumpRoot.hidden = hide;
    if (hide || !this.model) return;
    const root = this.model.byId.get(this.model.trace.root!)!;
    this.jumpRoot.querySelector('span')!.textContent = this.model.name(root) || root.op;
    const below = box.y * this.viewport!.k + this.viewport!.y > this.frame.clientHeight / 2;
    this.jumpRoot.querySelector('.codicon')!.className = `codicon codicon-arrow-${below ? 'down' : 'up'}`;
  }

  private showRoot(): void {
    const box = this.rootBox();
    if (!box || !this.viewport) return;
    this.viewport.centerOn(box, this.viewport.k);
    this.focusNode(this.model!.representative(this.model!.trace.root!));
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
    const area = this.frame.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const node = { left: r.left - area.left, right: r.right - area.left, top: r.top - area.top, bottom: r.bottom - area.top };
    const { x, y } = placeCard(node, { width: this.card.offsetWidth, height: this.card.offsetHeight }, { width: area.width, height: area.height });
    this.card.style.left = `${x}px`;
    this.card.style.top = `${y}px`;
  }

  hideCard(): void {
    this.card.hidden = true;
  }

  /** Focus a node and open it: a call box folds or unfolds, an op node shows its details. */
  activate(vid: string): void {
    this.focusNode(vid);
    if (vid.startsWith('g:')) void this.toggleGroup(vid.slice(2));
    else this.select(Number(vid.slice(2)));
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

interface Rect { left: number; right: number; top: number; bottom: number }

/** Where the hover card goes: beside the node if it fits, else below or above it, always inside the area. */
export function placeCard(node: Rect, card: { width: number; height: number }, area: { width: number; height: number }): { x: number; y: number } {
  const gap = 10, pad = 4;
  const clampX = (x: number) => Math.min(Math.max(pad, x), Math.max(pad, area.width - card.width - pad));
  const clampY = (y: number) => Math.min(Math.max(pad, y), Math.max(pad, area.height - card.height - pad));
  if (node.right + gap + card.width <= area.width - pad) return { x: node.right + gap, y: clampY(node.top) };
  if (node.left - gap - card.width >= pad) return { x: node.left - gap - card.width, y: clampY(node.top) };
  const x = clampX(node.left);
  if (node.bottom + gap + card.height <= area.height - pad) return { x, y: node.bottom + gap };
  if (node.top - gap - card.height >= pad) return { x, y: node.top - gap - card.height };
  // No side has room (a tall card in a short panel): cover the node's far side rather than leave the frame.
  const below = area.height - node.bottom >= node.top;
  return { x, y: clampY(below ? node.bottom + gap : node.top - gap - card.height) };
}

/** What a saved selection must still be after a re-trace: the same op on the same line and shape. */
function nodeKey(n: TraceNode): string {
  return `${n.op} ${n.loc?.line ?? ''} ${n.shape.join('×')}`;
}
