import type { AlertArea } from './alert-types.js';
import type { MapOverlay } from './map-geometry.js';
import type { Siren } from './types.js';

const EARTH_KM = 6371.0088;

/** CAP writes `lat,lon` pairs; the map works in [lon, lat]. */
function ring(polygon: string): [number, number][] {
  return polygon
    .trim()
    .split(/\s+/)
    .map((pair) => pair.split(',').map(Number))
    .filter(([lat, lon]) => Number.isFinite(lat) && Number.isFinite(lon))
    .map(([lat, lon]) => [lon, lat]);
}

/** The alert's areas for the map: polygons, circles (`lat,lon radius-km`), and the districts its geocodes name. */
export function alertOverlay(areas: AlertArea[]): MapOverlay {
  const circles = areas.flatMap((a) =>
    a.circle.flatMap((c) => {
      const m = /^\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s+([\d.]+)\s*$/.exec(c);
      return m ? [{ lat: Number(m[1]), lon: Number(m[2]), radiusKm: Number(m[3]) }] : [];
    }),
  );
  return {
    polygons: areas.flatMap((a) => a.polygon.map(ring)).filter((r) => r.length >= 3),
    circles,
    districtCodes: new Set(areas.flatMap((a) => a.geocode.map((g) => g.value.trim()))),
  };
}

function inRing(lon: number, lat: number, r: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Whether a siren lies in the area, by the rule the service applies (API.md): inside a polygon or
 * circle, or in a district a geocode names. The service's coverage counts stay the reference; this
 * places the covered sirens on the map.
 */
export function inArea(o: MapOverlay, s: Siren): boolean {
  return o.districtCodes.has(s.districtCode) || o.polygons.some((r) => inRing(s.lon, s.lat, r)) || o.circles.some((c) => distanceKm(s.lat, s.lon, c.lat, c.lon) <= c.radiusKm);
}
