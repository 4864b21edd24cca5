import type { Colouring, Look, MarkerClass } from './map-colouring.js';
import { LOOKS } from './map-colouring.js';
import { districtName, type District } from './map-data.js';
import { districtPath, labelPoint, MARKER_SHAPE, overlayPath, type MapOverlay, type Projection, type View } from './map-geometry.js';
import type { Siren } from './types.js';

const HIT_RADIUS_PX = 9;
/** A marker's box in CSS pixels (the shapes are drawn around its centre). */
const SPRITE_PX = 20;
const HOLLOW: ReadonlySet<Look> = new Set(['offline', 'unknown']);

/** Colours come from the stylesheet (one place for the palette). */
function palette(el: Element): Record<string, string> {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    ...Object.fromEntries(LOOKS.map((l) => [l, v(`--${l}`)])),
    bg: v('--map-bg'),
    land: v('--map-land'),
    border: v('--map-border'),
    label: v('--map-label'),
    halo: v('--text'),
    area: v('--map-area'),
    areaFill: v('--map-area-fill'),
  };
}

/**
 * Draws the map on one canvas: district outlines and names, an area over them (an alert's), then the
 * sirens as one shape and colour per class of the colouring (health, a drill's verdict…), each stamped
 * from a pre-drawn sprite: a full redraw of 10 000 sirens costs tens of milliseconds even without a
 * GPU, where 10 000 SVG nodes cost hundreds on every change.
 */
export class MapCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly outlines: { path: Path2D; label: [number, number]; district: District }[];
  private sprites: { dpr: number; byLook: Record<Look, HTMLCanvasElement> } | null = null;
  private area: { source: MapOverlay; path: Path2D } | null = null;
  private readonly points = new Map<string, { lat: number; lon: number; x: number; y: number }>();
  private readonly colours: Record<string, string>;
  private readonly font: string;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly projection: Projection,
    districts: District[],
  ) {
    this.ctx = canvas.getContext('2d')!;
    this.outlines = districts.map((d) => ({ path: new Path2D(districtPath(d, projection)), label: labelPoint(d, projection), district: d }));
    this.colours = palette(canvas);
    const css = getComputedStyle(canvas);
    this.font = `600 ${css.fontSize} ${css.fontFamily}`;
  }

  /** Each look's marker drawn once, then stamped per siren: far cheaper than filling 10 000 paths. */
  private spritesFor(dpr: number): Record<Look, HTMLCanvasElement> {
    if (this.sprites?.dpr === dpr) return this.sprites.byLook;
    const c = this.colours;
    const make = (look: Look) => {
      const sprite = document.createElement('canvas');
      sprite.width = sprite.height = Math.ceil(SPRITE_PX * dpr);
      const g = sprite.getContext('2d')!;
      const hollow = HOLLOW.has(look);
      g.setTransform(dpr, 0, 0, dpr, sprite.width / 2, sprite.height / 2);
      g.lineJoin = 'round';
      g.fillStyle = hollow ? c.bg : c[look];
      g.strokeStyle = hollow ? c[look] : c.bg;
      g.lineWidth = hollow ? 2.2 : look === 'outside' ? 0.8 : 1.2;
      const shape = new Path2D(MARKER_SHAPE[look]);
      g.fill(shape);
      g.stroke(shape);
      return sprite;
    };
    this.sprites = { dpr, byLook: Object.fromEntries(LOOKS.map((l) => [l, make(l)])) as Record<Look, HTMLCanvasElement> };
    return this.sprites.byLook;
  }

  /** Where a siren is, in projected km (cached; recomputed only if it moved). */
  private point(s: Siren): { x: number; y: number } {
    let p = this.points.get(s.id);
    if (!p || p.lat !== s.lat || p.lon !== s.lon) this.points.set(s.id, (p = { lat: s.lat, lon: s.lon, x: this.projection.x(s.lon), y: this.projection.y(s.lat) }));
    return p;
  }

  private drawLand(view: View, overlay: MapOverlay | null): void {
    const { ctx, colours: c } = this;
    ctx.lineWidth = 1.5 / view.k;
    for (const o of this.outlines) {
      const inArea = overlay?.districtCodes.has(o.district.code) ?? false;
      ctx.fillStyle = inArea ? c.areaFill : c.land;
      ctx.strokeStyle = inArea ? c.area : c.border;
      ctx.fill(o.path);
      ctx.stroke(o.path);
    }
    if (!overlay) return;
    if (this.area?.source !== overlay) this.area = { source: overlay, path: new Path2D(overlayPath(overlay, this.projection)) };
    ctx.fillStyle = c.areaFill;
    ctx.strokeStyle = c.area;
    ctx.lineWidth = 2.5 / view.k;
    ctx.setLineDash([8 / view.k, 5 / view.k]);
    ctx.fill(this.area.path);
    ctx.stroke(this.area.path);
    ctx.setLineDash([]);
  }

  draw(view: View, sirens: Iterable<Siren>, colouring: Colouring, hidden: ReadonlySet<string>, selected: string | null, overlay: MapOverlay | null = null): void {
    const { canvas, ctx } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(hgt * dpr);
    }
    const c = this.colours;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, w, hgt);
    ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.tx, dpr * view.ty);
    this.drawLand(view, overlay);

    // Device pixels from here on: whole-pixel stamps, no resampling.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const sprites = this.spritesFor(dpr);
    const half = Math.ceil(SPRITE_PX * dpr) / 2;
    const byClass = new Map<MarkerClass, [number, number][]>(colouring.classes.map((k) => [k, []]));
    let chosen: { x: number; y: number } | null = null;
    for (const s of sirens) {
      const k = colouring.classOf(s);
      if (!k || hidden.has(k.key)) continue;
      const p = this.point(s);
      const x = p.x * view.k + view.tx;
      const y = p.y * view.k + view.ty;
      if (x < -10 || y < -10 || x > w + 10 || y > hgt + 10) continue;
      byClass.get(k)?.push([Math.round(x * dpr - half), Math.round(y * dpr - half)]);
      if (s.id === selected) chosen = { x, y };
    }
    // The least important first, so the most important end up on top.
    for (const [k, points] of [...byClass].sort(([a], [b]) => b.rank - a.rank)) for (const [x, y] of points) ctx.drawImage(sprites[k.look], x, y);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (chosen) {
      ctx.strokeStyle = c.halo;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(chosen.x, chosen.y, 11, 0, 2 * Math.PI);
      ctx.stroke();
    }

    ctx.font = this.font;
    ctx.textAlign = 'center';
    ctx.lineWidth = 4;
    ctx.strokeStyle = c.bg;
    ctx.fillStyle = c.label;
    for (const o of this.outlines) {
      const name = districtName(o.district.code, o.district.name);
      const [lx, ly] = [o.label[0] * view.k + view.tx, o.label[1] * view.k + view.ty];
      ctx.strokeText(name, lx, ly);
      ctx.fillText(name, lx, ly);
    }
  }

  /** The siren under a point of the canvas (the most important, if several overlap), or null. */
  hit(px: number, py: number, view: View, sirens: Iterable<Siren>, colouring: Colouring, hidden: ReadonlySet<string>): Siren | null {
    let best: { siren: Siren; rank: number } | null = null;
    for (const s of sirens) {
      const k = colouring.classOf(s);
      if (!k || hidden.has(k.key)) continue;
      const p = this.point(s);
      if (Math.hypot(p.x * view.k + view.tx - px, p.y * view.k + view.ty - py) > HIT_RADIUS_PX) continue;
      if (!best || k.rank < best.rank) best = { siren: s, rank: k.rank };
    }
    return best?.siren ?? null;
  }
}
