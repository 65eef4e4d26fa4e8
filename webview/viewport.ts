// Pan (drag the background), zoom (wheel or pinch, around the pointer), fit and centre-on.
import type { Box } from './layout';

export class Viewport {
  x = 0;
  y = 0;
  k = 1;
  private size = { width: 0, height: 0 };
  onChange: () => void = () => {};

  constructor(private readonly frame: HTMLElement, private readonly world: HTMLElement) {
    frame.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = frame.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
      this.zoomAt(e.clientX - r.left, e.clientY - r.top, factor);
    }, { passive: false });
    let drag: { x: number; y: number; id: number } | null = null;
    frame.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.node, .cluster-title, .hovercard')) return;
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      frame.setPointerCapture(e.pointerId);
      frame.classList.add('panning');
    });
    frame.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      this.x += e.clientX - drag.x;
      this.y += e.clientY - drag.y;
      drag.x = e.clientX;
      drag.y = e.clientY;
      this.apply();
    });
    const end = () => { drag = null; frame.classList.remove('panning'); };
    frame.addEventListener('pointerup', end);
    frame.addEventListener('pointercancel', end);
  }

  setContentSize(width: number, height: number): void {
    this.size = { width, height };
  }

  zoomAt(px: number, py: number, factor: number): void {
    const k = Math.min(3, Math.max(0.03, this.k * factor));
    this.x = px - ((px - this.x) * k) / this.k;
    this.y = py - ((py - this.y) * k) / this.k;
    this.k = k;
    this.apply();
  }

  zoomBy(factor: number): void {
    this.zoomAt(this.frame.clientWidth / 2, this.frame.clientHeight / 2, factor);
  }

  /** Fits the whole graph; `readable` keeps big graphs at a scale where text can still be read. */
  fit(readable = false): void {
    const w = this.frame.clientWidth || 800, h = this.frame.clientHeight || 600;
    const { width, height } = this.size;
    if (!width || !height) return;
    // Big graphs start readable at the top (the inputs) instead of as a grey speck.
    const k = Math.min(1.1, Math.min(w / width, h / height) * 0.96);
    this.k = readable ? Math.max(0.3, k) : Math.max(0.03, k);
    this.x = (w - width * this.k) / 2;
    this.y = height * this.k <= h ? (h - height * this.k) / 2 : 8;
    if (width * this.k > w) this.x = 8;
    this.apply();
  }

  centerOn(b: Box, minScale = 0.7): void {
    if (this.k < minScale) this.k = minScale;
    const w = this.frame.clientWidth, h = this.frame.clientHeight;
    this.x = w / 2 - (b.x + b.width / 2) * this.k;
    this.y = h / 2 - (b.y + b.height / 2) * this.k;
    this.apply();
  }

  /** Scrolls just enough to bring `b` into view. */
  reveal(b: Box): void {
    const w = this.frame.clientWidth, h = this.frame.clientHeight;
    const x0 = b.x * this.k + this.x, y0 = b.y * this.k + this.y;
    const x1 = x0 + b.width * this.k, y1 = y0 + b.height * this.k;
    if (x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h) return;
    this.centerOn(b, this.k);
  }

  view(): { x: number; y: number; k: number; width: number; height: number } {
    return { x: this.x, y: this.y, k: this.k, width: this.frame.clientWidth, height: this.frame.clientHeight };
  }

  apply(): void {
    this.world.style.transform = `translate(${this.x}px, ${this.y}px) scale(${this.k})`;
    this.frame.classList.toggle('far', this.k < 0.45);
    this.frame.classList.toggle('very-far', this.k < 0.2);
    this.onChange();
  }
}
