import { lang } from './i18n.js';

type Ring = [number, number][];
export interface District {
  code: string;
  name: string;
  nameEn: string | null;
  /** Outer rings (and holes) of every polygon, [lon, lat]. */
  polygons: Ring[][];
}

interface GeoFeature {
  properties: Record<string, unknown> | null;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

let loading: Promise<District[]> | null = null;
const byCode = new Map<string, District>();

/** The deployment's district outlines (MAP_GEOJSON; the demo city's by default), read once. */
export function loadDistricts(): Promise<District[]> {
  loading ??= fetch('/console/map.geojson')
    .then((r) => (r.ok ? (r.json() as Promise<{ features: GeoFeature[] }>) : { features: [] }))
    .then((fc) =>
      fc.features.map((f) => {
        const p = f.properties ?? {};
        const d: District = {
          code: String(p.code ?? p.districtCode ?? ''),
          name: String(p.name ?? p.districtName ?? ''),
          nameEn: typeof p.name_en === 'string' ? p.name_en : null,
          polygons: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates,
        };
        byCode.set(d.code, d);
        return d;
      }),
    )
    .catch(() => []);
  return loading;
}

/** A district's name in the current language when the outlines carry one (name_en), else as registered. */
export function districtName(code: string | null, registered: string | null): string {
  const d = code === null ? undefined : byCode.get(code);
  if (lang() === 'en' && d?.nameEn) return d.nameEn;
  return registered ?? d?.name ?? code ?? '';
}
