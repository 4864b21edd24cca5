/** Which sirens an alert area covers: polygon and circle (CAP's `lat,lon` order) and geocodes. */
import type { CapArea } from './cap-parser.js';

export interface Point {
  lat: number;
  lon: number;
  districtCode: string;
}

const EARTH_KM = 6371.0088;

function pairs(text: string): [number, number][] {
  return text
    .trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number) as [number, number])
    .filter(([lat, lon]) => Number.isFinite(lat) && Number.isFinite(lon));
}

/** Ray casting in the lon/lat plane: fine at city and region scale, which is what an alert area is. */
export function inPolygon(p: Point, polygon: string): boolean {
  const ring = pairs(polygon);
  if (ring.length < 3) return false;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [yi, xi] = ring[i];
    const [yj, xj] = ring[j];
    if (yi > p.lat !== yj > p.lat && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `lat,lon radius-km` */
export function inCircle(p: Point, circle: string): boolean {
  const m = /^\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s+([\d.]+)\s*$/.exec(circle);
  if (!m) return false;
  return distanceKm(p, { lat: Number(m[1]), lon: Number(m[2]) }) <= Number(m[3]);
}

export function covers(areas: readonly CapArea[], p: Point, geocodeNames: ReadonlySet<string>): boolean {
  return areas.some(
    (a) =>
      a.polygon.some((poly) => inPolygon(p, poly)) ||
      a.circle.some((c) => inCircle(p, c)) ||
      a.geocode.some((g) => geocodeNames.has(g.valueName) && g.value.trim() === p.districtCode),
  );
}
