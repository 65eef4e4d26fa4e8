// The search box: matches variable names, other names and op names; Enter jumps to the next
// match, opening the calls it is folded into.
import type { App } from './app';

export class Search {
  private matches: number[] = [];
  private cursor = -1;

  constructor(private readonly input: HTMLElement & { value: string }, private readonly counter: HTMLElement, private readonly app: App) {
    input.addEventListener('input', () => { this.cursor = -1; this.refresh(); });
    input.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Enter') { e.preventDefault(); void this.next(e.shiftKey ? -1 : 1); }
      if (e.key === 'Escape') { input.value = ''; this.refresh(); }
    });
  }

  focus(): void {
    this.input.focus();
  }

  refresh(): void {
    const model = this.app.model;
    const frame = this.app.renderer?.world.parentElement;
    const q = (this.input.value ?? '').trim().toLowerCase();
    frame?.classList.toggle('searching', !!q);
    if (!q || !model) { this.matches = []; this.counter.textContent = ''; this.app.renderer?.setMark('search-hit', []); return; }
    this.matches = model.trace.nodes.filter((n) => [n.op, n.label ?? '', model.name(n), ...n.names].some((s) => s.toLowerCase().includes(q))).map((n) => n.id);
    this.app.renderer?.setMark('search-hit', this.matches.map((id) => model.representative(id)));
    this.counter.textContent = this.matches.length ? `${this.cursor >= 0 ? `${this.cursor + 1}/` : ''}${this.matches.length} found` : 'no match';
  }

  private async next(step: number): Promise<void> {
    if (!this.matches.length) return;
    this.cursor = (this.cursor + step + this.matches.length) % this.matches.length;
    await this.app.reveal(this.matches[this.cursor]);
    this.refresh();
  }
}
