import type { Look } from './map-colouring.js';
import type { District } from './map-data.js';

const KM_PER_DEGREE = 111.32;

/** A flat projection in kilometres around a reference point: enough for one city, no tiles needed. */
export class Projection {
  private readonly kx: number;

  constructor(
    private readonly lon0: number,
    private readonly lat0: number,
  ) {
    this.kx = KM_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  }

  /** Centred on what is to be drawn: the outlines, else the sirens. */
  static around(points: Iterable<[number, number]>): Projection {
    let n = 0;
    let lon = 0;
    let lat = 0;
    for (const [x, y] of points) {
      n++;
      lon += x;
      lat += y;
    }
    return n ? new Projection(lon / n, lat / n) : new Projection(115.89, 28.67);
  }

  x(lon: number): number {
    return (lon - this.lon0) * this.kx;
  }

  y(lat: number): number {
    return -(lat - this.lat0) * KM_PER_DEGREE;
  }
}

export function* outlinePoints(districts: District[]): Iterable<[number, number]> {
  for (const d of districts) for (const poly of d.polygons) for (const ring of poly) yield* ring;
}

/** An SVG path (in projected km) for a district's polygons, holes included. */
export function districtPath(d: District, p: Projection): string {
  return d.polygons
    .flatMap((poly) => poly.map((ring) => 'M' + ring.map(([lon, lat]) => `${p.x(lon).toFixed(3)},${p.y(lat).toFixed(3)}`).join('L') + 'Z'))
    .join('');
}

/** Where to write a district's name: the mean of its largest ring's vertices. */
export function labelPoint(d: District, p: Projection): [number, number] {
  const ring = d.polygons.map((poly) => poly[0]).sort((a, b) => b.length - a.length)[0] ?? [];
  const n = Math.max(ring.length, 1);
  return [ring.reduce((s, [lon]) => s + p.x(lon), 0) / n, ring.reduce((s, [, lat]) => s + p.y(lat), 0) / n];
}

/** A marker shape per look (pixels, centred): colour is never the only signal. */
export const MARKER_SHAPE: Record<Look, string> = {
  ok: 'M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0Z',
  degraded: 'M0,-6.5L6,4.5L-6,4.5Z',
  fault: 'M-6,-3.5L-3.5,-6L0,-2.5L3.5,-6L6,-3.5L2.5,0L6,3.5L3.5,6L0,2.5L-3.5,6L-6,3.5L-2.5,0Z',
  offline: 'M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0ZM-3.5,3.5L3.5,-3.5',
  maintenance: 'M-4.5,-4.5H4.5V4.5H-4.5Z',
  unknown: 'M0,-5.5L5.5,0L0,5.5L-5.5,0Z',
  outside: 'M-2.5,0a2.5,2.5 0 1,0 5,0a2.5,2.5 0 1,0 -5,0Z',
};

/** An area drawn over the map (an alert's): whole districts, polygons ([lon, lat] rings) and circles. */
export interface MapOverlay {
  districtCodes: ReadonlySet<string>;
  polygons: [number, number][][];
  circles: { lon: number; lat: number; radiusKm: number }[];
}

/** An SVG path (in projected km) for an overlay's polygons and circles. */
export function overlayPath(o: MapOverlay, p: Projection): string {
  const rings = o.polygons.map((ring) => 'M' + ring.map(([lon, lat]) => `${p.x(lon).toFixed(3)},${p.y(lat).toFixed(3)}`).join('L') + 'Z');
  const circles = o.circles.map(({ lon, lat, radiusKm: r }) => `M${(p.x(lon) - r).toFixed(3)},${p.y(lat).toFixed(3)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`);
  return [...rings, ...circles].join('');
}

/** The view: pixels per km and the offset of the projection's origin, in pixels. */
export interface View {
  k: number;
  tx: number;
  ty: number;
}

export function fitView(bounds: { minX: number; minY: number; maxX: number; maxY: number }, width: number, height: number): View {
  const w = Math.max(bounds.maxX - bounds.minX, 1);
  const hgt = Math.max(bounds.maxY - bounds.minY, 1);
  const k = Math.min(width / w, height / hgt) * 0.9;
  return { k, tx: width / 2 - k * (bounds.minX + bounds.maxX) / 2, ty: height / 2 - k * (bounds.minY + bounds.maxY) / 2 };
}

/** Zooms by `factor` keeping the point (px, py) where it is on the screen. */
export function zoomAt(v: View, factor: number, px: number, py: number, limits: [number, number]): View {
  const k = Math.min(Math.max(v.k * factor, limits[0]), limits[1]);
  const f = k / v.k;
  return { k, tx: px - (px - v.tx) * f, ty: py - (py - v.ty) * f };
}
