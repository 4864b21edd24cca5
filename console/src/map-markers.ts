import { s, setAttr } from './dom.js';
import { MARKER_SHAPE, type Projection } from './map-geometry.js';
import { HEALTH_RANK, HEALTHS, type Health, type Siren } from './types.js';

interface Marker {
  el: SVGPathElement;
  x: number;
  y: number;
  health: Health;
}

/** Worst on top: one SVG group per health, drawn from the best to the worst. */
const LAYER_ORDER = [...HEALTHS].sort((a, b) => HEALTH_RANK[b] - HEALTH_RANK[a]);

/**
 * The sirens on the map, one path each (shape and colour by health, with the siren-<id> test hook).
 * Markers keep their size in pixels while zooming: a zoom moves them, a pan moves only their group.
 */
export class MarkerLayer {
  readonly element = s('g', { class: 'markers' });
  private readonly layers = {} as Record<Health, SVGGElement>;
  private readonly markers = new Map<string, Marker>();
  private k = 1;

  constructor(private readonly projection: Projection) {
    for (const hl of LAYER_ORDER) this.element.append((this.layers[hl] = s('g', { class: `layer layer-${hl}` })));
  }

  setAll(sirens: Iterable<Siren>): void {
    for (const layer of Object.values(this.layers)) layer.replaceChildren();
    this.markers.clear();
    for (const siren of sirens) this.update(siren);
  }

  update(siren: Siren): void {
    let m = this.markers.get(siren.id);
    if (!m) {
      const el = s('path', { 'data-testid': `siren-${siren.id}`, 'data-id': siren.id });
      m = { el, x: NaN, y: NaN, health: siren.health };
      this.markers.set(siren.id, m);
      this.place(m, siren);
      this.paint(m, siren.health, true);
      return;
    }
    this.place(m, siren);
    this.paint(m, siren.health, false);
  }

  /** Pans the markers (one attribute) and, when the scale changed, moves each to its new place. */
  setView(k: number, tx: number, ty: number): void {
    this.element.setAttribute('transform', `translate(${tx.toFixed(1)} ${ty.toFixed(1)})`);
    if (k === this.k) return;
    this.k = k;
    for (const m of this.markers.values()) this.move(m);
  }

  setHidden(hl: Health, hidden: boolean): void {
    this.layers[hl].classList.toggle('hidden', hidden);
  }

  private place(m: Marker, siren: Siren): void {
    const x = this.projection.x(siren.lon);
    const y = this.projection.y(siren.lat);
    if (x === m.x && y === m.y) return;
    m.x = x;
    m.y = y;
    this.move(m);
  }

  private move(m: Marker): void {
    m.el.setAttribute('transform', `translate(${(m.x * this.k).toFixed(1)} ${(m.y * this.k).toFixed(1)})`);
  }

  private paint(m: Marker, hl: Health, fresh: boolean): void {
    if (!fresh && m.health === hl) return;
    m.health = hl;
    setAttr(m.el, 'd', MARKER_SHAPE[hl]);
    setAttr(m.el, 'class', `m m-${hl}`);
    setAttr(m.el, 'data-health', hl);
    this.layers[hl].append(m.el);
  }
}
