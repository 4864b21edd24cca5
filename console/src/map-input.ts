export const ZOOM_STEP = 1.5;
const ARROW_PAN_PX: Record<string, [number, number]> = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };

export interface MapInput {
  pan(dx: number, dy: number): void;
  /** Zoom by a factor, keeping the pointer's spot in place (the centre without one). */
  zoom(factor: number, at?: MouseEvent): void;
  fit(): void;
  pick(e: MouseEvent): void;
  hover(e: MouseEvent): void;
}

/** The map's mouse and keyboard: wheel and +/− zoom, drag and arrows pan, 0 fits, a click picks, hovering names. */
export function attachMapInput(canvas: HTMLCanvasElement, o: MapInput): void {
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    o.zoom(Math.exp(-e.deltaY / 300), e);
  }, { passive: false });
  let drag: { x: number; y: number; moved: boolean } | null = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return o.hover(e);
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag = { x: e.clientX, y: e.clientY, moved: true };
    o.pan(dx, dy);
  });
  canvas.addEventListener('pointerup', (e) => {
    const wasClick = drag && !drag.moved;
    drag = null;
    if (wasClick) o.pick(e);
  });
  canvas.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') o.zoom(ZOOM_STEP);
    else if (e.key === '-') o.zoom(1 / ZOOM_STEP);
    else if (e.key === '0') o.fit();
    else if (ARROW_PAN_PX[e.key]) o.pan(...ARROW_PAN_PX[e.key]);
    else return;
    e.preventDefault();
  });
}
