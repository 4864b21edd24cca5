import { frameThrottle, h } from './dom.js';

export interface VirtualListOptions<T> {
  key(item: T): string;
  /** A new, empty row element (reused for other items as the list scrolls). */
  createRow(): HTMLElement;
  /** Fills a row for an item (called on every redraw: write only what changed). */
  renderRow(row: HTMLElement, item: T): void;
  label: string;
}

/**
 * A scrolling list that keeps in the page only the rows in view (plus a few), so ten thousand items
 * cost what forty do. Row height comes from the CSS custom property --row-h of the host.
 */
export class VirtualList<T> {
  readonly element: HTMLElement;
  private readonly spacer = h('div', { class: 'vl-spacer' });
  private readonly rows = new Map<string, HTMLElement>();
  private items: T[] = [];
  private rowHeight = 32;
  private readonly redraw = frameThrottle(() => this.draw());
  private readonly resize = new ResizeObserver(() => this.measure());

  constructor(private readonly o: VirtualListOptions<T>) {
    this.element = h('div', { class: 'vl', role: 'rowgroup', 'aria-label': o.label, tabindex: 0 }, this.spacer);
    this.element.addEventListener('scroll', this.redraw, { passive: true });
    this.resize.observe(this.element);
  }

  setItems(items: T[]): void {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.draw();
  }

  destroy(): void {
    this.resize.disconnect();
  }

  private measure(): void {
    const px = parseFloat(getComputedStyle(this.element).getPropertyValue('--row-h'));
    if (px > 0 && px !== this.rowHeight) {
      this.rowHeight = px;
      for (const row of this.rows.values()) row.remove();
      this.rows.clear();
      this.setItems(this.items);
    } else this.redraw();
  }

  private draw(): void {
    const rh = this.rowHeight;
    const first = Math.max(0, Math.floor(this.element.scrollTop / rh) - 5);
    const last = Math.min(this.items.length, Math.ceil((this.element.scrollTop + this.element.clientHeight) / rh) + 5);
    const wanted = new Map<string, number>();
    for (let i = first; i < last; i++) wanted.set(this.o.key(this.items[i]), i);
    const spare: HTMLElement[] = [];
    for (const [key, row] of this.rows) {
      if (!wanted.has(key)) {
        spare.push(row);
        this.rows.delete(key);
      }
    }
    for (const [key, i] of wanted) {
      let row = this.rows.get(key);
      if (!row) {
        row = spare.pop() ?? this.spacer.appendChild(this.o.createRow());
        this.rows.set(key, row);
      }
      row.style.transform = `translateY(${i * rh}px)`;
      this.o.renderRow(row, this.items[i]);
    }
    for (const row of spare) row.remove();
  }
}
