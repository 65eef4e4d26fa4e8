// Pointer and keyboard on the graph: hover cards, clicks (open a node, fold a call box, jump from
// the overview), double-click to the source line, arrow keys between nodes and the shortcuts.
import type { App } from './app';
import { neighbour, type Direction } from './keyboard';

const ARROWS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

export function wireGraphInput(app: App, frame: HTMLElement): void {
  const nodeOf = (t: EventTarget | null) => (t instanceof Element ? t.closest<HTMLElement>('.node') : null);
  frame.addEventListener('pointerover', (e) => { const el = nodeOf(e.target); if (el) app.showCard(el); });
  frame.addEventListener('pointerout', (e) => { if (nodeOf(e.target) && !nodeOf(e.relatedTarget)) app.hideCard(); });
  frame.addEventListener('click', (e) => {
    const title = (e.target as Element).closest<HTMLElement>('[data-collapse]');
    if (title) { void app.toggleGroup(title.dataset.collapse!); return; }
    const el = nodeOf(e.target);
    if (el) { app.activate(el.dataset.vid!); return; }
    if (app.renderer?.overview) {
      const r = frame.getBoundingClientRect();
      const hit = app.renderer.hit(e.clientX - r.left, e.clientY - r.top);
      const box = hit ? app.layout?.nodes[hit] : undefined;
      if (hit && box) { app.viewport?.centerOn(box, 0.8); app.focusNode(hit); }
    }
  });
  frame.addEventListener('dblclick', (e) => {
    const n = app.model?.byId.get(Number(nodeOf(e.target)?.dataset.id));
    if (n) app.goToSource(n);
  });
  frame.addEventListener('focusin', (e) => { const el = nodeOf(e.target); if (el) { app.focused = el.dataset.vid!; app.showCard(el); } });
  frame.addEventListener('keydown', (e) => onKey(app, e));
}

function onKey(app: App, e: KeyboardEvent): void {
  const dir = ARROWS[e.key];
  if (dir && app.layout && app.visible) {
    e.preventDefault();
    const from = app.focused && app.layout.nodes[app.focused] ? app.focused : app.visible.nodes[0]?.id;
    const to = from === app.focused ? neighbour(app.layout, app.visible, from!, dir) : from;
    if (to) app.focusNode(to);
  } else if ((e.key === 'Enter' || e.key === ' ') && app.focused && (e.target as Element).closest('.node')) {
    e.preventDefault();
    app.activate(app.focused);
  } else if (e.key === 'Escape') {
    app.hideCard();
    app.select(null);
  } else if (e.key === 'f' || e.key === 'F') app.fit(e.shiftKey);
  else if (e.key === '+' || e.key === '=') app.viewport?.zoomBy(1.25);
  else if (e.key === '-') app.viewport?.zoomBy(0.8);
  else if (e.key === '/') { e.preventDefault(); app.search.focus(); }
  else if (e.key === 'g' && app.focused?.startsWith('n:')) { const n = app.model?.byId.get(Number(app.focused.slice(2))); if (n) app.goToSource(n); }
}
