import { inArea } from './alert-area.js';
import { t } from './i18n.js';
import { healthClass, outsideClass, type Colouring } from './map-colouring.js';
import type { MapOverlay } from './map-geometry.js';
import { store } from './store.js';
import { HEALTHS, type Siren } from './types.js';

const KM_PER_DEGREE = 111.32;
const COVERED = new Map(HEALTHS.map((hl) => [hl, healthClass(hl)]));
const OUTSIDE = outsideClass(() => t('alert.notCovered'));

/**
 * An alert's map: the sirens its area covers by health (ok and degraded can sound, the others say why
 * not), the rest small and muted. Whether a siren is covered is remembered per siren update.
 */
export function coverageColouring(area: MapOverlay): Colouring {
  const covered = new WeakMap<Siren, boolean>();
  const isCovered = (s: Siren) => {
    let c = covered.get(s);
    if (c === undefined) covered.set(s, (c = inArea(area, s)));
    return c;
  };
  return {
    legend: () => t('map.legendCoverage'),
    classes: [...COVERED.values(), OUTSIDE],
    classOf: (s) => (isCovered(s) ? COVERED.get(s.health)! : OUTSIDE),
  };
}

/** What the map fits: the area's polygons and circles, and the covered sirens ([lon, lat]). */
export function areaPoints(area: MapOverlay): [number, number][] {
  const points: [number, number][] = area.polygons.flat();
  for (const c of area.circles) {
    const dLat = c.radiusKm / KM_PER_DEGREE;
    const dLon = c.radiusKm / (KM_PER_DEGREE * Math.cos((c.lat * Math.PI) / 180));
    points.push([c.lon - dLon, c.lat - dLat], [c.lon + dLon, c.lat + dLat]);
  }
  for (const s of store.sirens.values()) if (inArea(area, s)) points.push([s.lon, s.lat]);
  return points;
}
