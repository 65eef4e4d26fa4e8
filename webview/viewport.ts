// Pan (drag the background or scroll), zoom (Ctrl/⌘+wheel or pinch, around the pointer), fit and
// centre-on. Fit never goes below a scale where node text can be read: a narrow panel pans instead.
import type { Box } from './layout';

/** The smallest text inside a node is 11px: at this scale it is still ≥ 9 px on screen. */
export const LEGIBLE_SCALE = 0.85;

export class Viewport {
  x = 0;
  y = 0;
  k = 1;
  private size = { width: 0, height: 0 };
  onChange: () => void = () => {};

  constructor(private readonly frame: HTMLElement, private readonly world: HTMLElement) {
    frame.addEventListener('wheel', (e) => {
      e.preventDefault();
      // Pinch arrives as ctrl+wheel. A plain wheel or trackpad scroll pans, like any scrolled page.
      if (e.ctrlKey || e.metaKey) {
        const r = frame.getBoundingClientRect();
        this.zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.01));
        return;
      }
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? frame.clientHeight : 1;
      const [dx, dy] = e.shiftKey && !e.deltaX ? [e.deltaY, 0] : [e.deltaX, e.deltaY];
      this.panBy(-dx * unit, -dy * unit);
    }, { passive: false });
    let drag: { x: number; y: number; id: number } | null = null;
    frame.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.node, .cluster-title, .hovercard, .jump-root')) return;
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

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.apply();
  }

  zoomBy(factor: number): void {
    this.zoomAt(this.frame.clientWidth / 2, this.frame.clientHeight / 2, factor);
  }

  /**
   * Fits the graph, but never below LEGIBLE_SCALE: what does not fit then starts at the top (the
   * inputs, where reading starts) with `anchor` (the root's box) kept in view horizontally.
   * `whole` fits everything however small (Shift+F: the shape of a big graph).
   */
  fit(anchor?: Box, whole = false): void {
    const w = this.frame.clientWidth || 800, h = this.frame.clientHeight || 600;
    const { width, height } = this.size;
    if (!width || !height) return;
    const k = Math.min(1.1, Math.min(w / width, h / height) * 0.96);
    this.k = whole ? Math.max(0.03, k) : Math.max(LEGIBLE_SCALE, k);
    const pad = 8;
    this.x = width * this.k <= w ? (w - width * this.k) / 2 : pad;
    this.y = height * this.k <= h ? (h - height * this.k) / 2 : pad;
    if (anchor && width * this.k > w) {
      const right = (anchor.x + anchor.width) * this.k + this.x;
      if (right > w - pad) this.x = Math.max(w - pad - width * this.k, this.x - (right - (w - pad)));
    }
    this.apply();
  }

  /** Whether `b` is (at least partly) inside the frame. */
  shows(b: Box): boolean {
    const w = this.frame.clientWidth, h = this.frame.clientHeight;
    const x0 = b.x * this.k + this.x, y0 = b.y * this.k + this.y;
    return x0 < w && y0 < h && x0 + b.width * this.k > 0 && y0 + b.height * this.k > 0;
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
