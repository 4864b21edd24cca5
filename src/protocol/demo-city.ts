/** A deterministic demo city in Nanchang (南昌) for the zero-setup mode, the simulator and tests. */
import { seededRandom } from './random.js';
import type { CommsPath, RegistryRow } from './registry-format.js';

export interface DemoDistrict {
  /** 1–6: the `NN` in siren ids `NC-NN-###`. */
  index: number;
  /** The district's real administrative division code. */
  code: string;
  name: string;
  nameEn: string;
  /** Approximate centre (district government seat) and the radius sirens are spread over. */
  lat: number;
  lon: number;
  radiusKm: number;
}

export const DEMO_DISTRICTS: readonly DemoDistrict[] = [
  { index: 1, code: '360102', name: '东湖区', nameEn: 'Donghu', lat: 28.6845, lon: 115.9030, radiusKm: 2.5 },
  { index: 2, code: '360103', name: '西湖区', nameEn: 'Xihu', lat: 28.6560, lon: 115.8770, radiusKm: 2.5 },
  { index: 3, code: '360104', name: '青云谱区', nameEn: 'Qingyunpu', lat: 28.6210, lon: 115.9250, radiusKm: 3 },
  { index: 4, code: '360111', name: '青山湖区', nameEn: 'Qingshanhu', lat: 28.6820, lon: 115.9620, radiusKm: 4 },
  { index: 5, code: '360112', name: '新建区', nameEn: 'Xinjian', lat: 28.6920, lon: 115.8150, radiusKm: 8 },
  { index: 6, code: '360113', name: '红谷滩区', nameEn: 'Honggutan', lat: 28.6980, lon: 115.8580, radiusKm: 4 },
];

/** Siren models of the demo fleet; `multimedia` ones (多媒体警报器) can play spoken messages. */
export const DEMO_MODELS = [
  { model: 'HDS-1000', multimedia: false, share: 0.5 },
  { model: 'HDS-600', multimedia: false, share: 0.35 },
  { model: 'MMS-300', multimedia: true, share: 0.15 },
] as const;

const COMMS_SHARES: readonly [CommsPath, number][] = [
  ['4g', 0.55],
  ['radio', 0.25],
  ['fiber', 0.15],
  ['satellite', 0.05],
];

const KM_PER_DEGREE_LAT = 111.32;

function pick<T>(r: number, items: readonly T[], share: (item: T) => number): T {
  let acc = 0;
  for (const item of items) {
    acc += share(item);
    if (r < acc) return item;
  }
  return items[items.length - 1];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * `count` sirens spread evenly over the six districts (the first districts take the remainder),
 * uniformly over a disc around each centre. The same (count, seed) always gives the same rows.
 */
export function demoCity(count = 200, seed = 1): RegistryRow[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`demoCity: count must be a whole number ≥ 0, got ${count}`);
  const random = seededRandom(seed);
  const rows: RegistryRow[] = [];
  const per = Math.floor(count / DEMO_DISTRICTS.length);
  const extra = count % DEMO_DISTRICTS.length;
  for (const [i, d] of DEMO_DISTRICTS.entries()) {
    const n = per + (i < extra ? 1 : 0);
    for (let k = 1; k <= n; k++) {
      const number = String(k).padStart(3, '0');
      // sqrt makes the spread uniform over the disc's area rather than bunched at its centre.
      const distanceKm = d.radiusKm * Math.sqrt(random());
      const bearing = 2 * Math.PI * random();
      const lat = d.lat + (distanceKm * Math.cos(bearing)) / KM_PER_DEGREE_LAT;
      const lon = d.lon + (distanceKm * Math.sin(bearing)) / (KM_PER_DEGREE_LAT * Math.cos((d.lat * Math.PI) / 180));
      rows.push({
        id: `NC-${String(d.index).padStart(2, '0')}-${number}`,
        name: `${d.name} 警报器 ${number}`,
        districtCode: d.code,
        districtName: d.name,
        lat: round6(lat),
        lon: round6(lon),
        model: pick(random(), DEMO_MODELS, (m) => m.share).model,
        commsPath: pick(random(), COMMS_SHARES, (c) => c[1])[0],
      });
    }
  }
  return rows;
}
