import { districtName, type District } from './map-data.js';
import { districtPath, labelPoint, MARKER_SHAPE, type Projection, type View } from './map-geometry.js';
import { HEALTH_RANK, HEALTHS, type Health, type Siren } from './types.js';

/** Best first, so the worst are drawn last, on top. */
const DRAW_ORDER = [...HEALTHS].sort((a, b) => HEALTH_RANK[b] - HEALTH_RANK[a]);
const HIT_RADIUS_PX = 9;
/** A marker's box in CSS pixels (the shapes are drawn around its centre). */
const SPRITE_PX = 20;

/** Colours come from the stylesheet (one place for the palette). */
function palette(el: Element): Record<string, string> {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { ...Object.fromEntries(HEALTHS.map((hl) => [hl, v(`--${hl}`)])), bg: v('--map-bg'), land: v('--map-land'), border: v('--map-border'), label: v('--map-label'), halo: v('--text') };
}

/**
 * Draws the map on one canvas: district outlines and names, then the sirens as one shape per health
 * (colour and shape, so colour is never the only signal), each stamped from a pre-drawn sprite: a
 * full redraw of 10 000 sirens costs tens of milliseconds even without a GPU, where 10 000 SVG nodes
 * cost hundreds on every change.
 */
export class MapCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly outlines: { path: Path2D; label: [number, number]; district: District }[];
  private sprites: { dpr: number; byHealth: Record<Health, HTMLCanvasElement> } | null = null;
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

  /** Each health's marker drawn once, then stamped per siren: far cheaper than filling 10 000 paths. */
  private spritesFor(dpr: number): Record<Health, HTMLCanvasElement> {
    if (this.sprites?.dpr === dpr) return this.sprites.byHealth;
    const c = this.colours;
    const make = (hl: Health) => {
      const sprite = document.createElement('canvas');
      sprite.width = sprite.height = Math.ceil(SPRITE_PX * dpr);
      const g = sprite.getContext('2d')!;
      const hollow = hl === 'offline' || hl === 'unknown';
      g.setTransform(dpr, 0, 0, dpr, (sprite.width / 2), (sprite.height / 2));
      g.lineJoin = 'round';
      g.fillStyle = hollow ? c.bg : c[hl];
      g.strokeStyle = hollow ? c[hl] : c.bg;
      g.lineWidth = hollow ? 2.2 : 1.2;
      const shape = new Path2D(MARKER_SHAPE[hl]);
      g.fill(shape);
      g.stroke(shape);
      return sprite;
    };
    this.sprites = { dpr, byHealth: Object.fromEntries(HEALTHS.map((hl) => [hl, make(hl)])) as Record<Health, HTMLCanvasElement> };
    return this.sprites.byHealth;
  }

  /** Where a siren is, in projected km (cached; recomputed only if it moved). */
  private point(s: Siren): { x: number; y: number } {
    let p = this.points.get(s.id);
    if (!p || p.lat !== s.lat || p.lon !== s.lon) this.points.set(s.id, (p = { lat: s.lat, lon: s.lon, x: this.projection.x(s.lon), y: this.projection.y(s.lat) }));
    return p;
  }

  draw(view: View, sirens: Iterable<Siren>, hidden: Set<Health>, selected: string | null): void {
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
    ctx.fillStyle = c.land;
    ctx.strokeStyle = c.border;
    ctx.lineWidth = 1.5 / view.k;
    for (const o of this.outlines) {
      ctx.fill(o.path);
      ctx.stroke(o.path);
    }

    // Device pixels from here on: whole-pixel stamps, no resampling.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const sprites = this.spritesFor(dpr);
    const half = Math.ceil(SPRITE_PX * dpr) / 2;
    const byHealth = new Map<Health, [number, number][]>(HEALTHS.map((hl) => [hl, []]));
    let chosen: { x: number; y: number } | null = null;
    for (const s of sirens) {
      if (hidden.has(s.health)) continue;
      const p = this.point(s);
      const x = p.x * view.k + view.tx;
      const y = p.y * view.k + view.ty;
      if (x < -10 || y < -10 || x > w + 10 || y > hgt + 10) continue;
      byHealth.get(s.health)!.push([Math.round(x * dpr - half), Math.round(y * dpr - half)]);
      if (s.id === selected) chosen = { x, y };
    }
    for (const hl of DRAW_ORDER) for (const [x, y] of byHealth.get(hl)!) ctx.drawImage(sprites[hl], x, y);
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

  /** The siren under a point of the canvas (the worst, if several overlap), or null. */
  hit(px: number, py: number, view: View, sirens: Iterable<Siren>, hidden: Set<Health>): Siren | null {
    let best: Siren | null = null;
    for (const s of sirens) {
      if (hidden.has(s.health)) continue;
      const p = this.point(s);
      if (Math.hypot(p.x * view.k + view.tx - px, p.y * view.k + view.ty - py) > HIT_RADIUS_PX) continue;
      if (!best || HEALTH_RANK[s.health] < HEALTH_RANK[best.health]) best = s;
    }
    return best;
  }
}
