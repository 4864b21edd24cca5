import { describe, expect, it } from '@jest/globals';
import { DEMO_DISTRICTS, DEMO_MODELS, demoCity } from './demo-city.js';
import { seededRandom } from './random.js';
import { parseRegistryCsv, registryToCsv, validateRegistryRow } from './registry-format.js';

describe('seededRandom', () => {
  it('repeats for a seed, differs between seeds and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(seededRandom(43)()).not.toBe(first[0]);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    // A crude uniformity check: the mean of 1000 draws is near 0.5.
    expect(Math.abs(first.reduce((s, x) => s + x, 0) / first.length - 0.5)).toBeLessThan(0.05);
  });
});

describe('DEMO_DISTRICTS', () => {
  it('lists Nanchang’s six districts with their real codes, in id order', () => {
    expect(DEMO_DISTRICTS.map((d) => [d.index, d.code, d.name])).toEqual([
      [1, '360102', '东湖区'],
      [2, '360103', '西湖区'],
      [3, '360104', '青云谱区'],
      [4, '360111', '青山湖区'],
      [5, '360112', '新建区'],
      [6, '360113', '红谷滩区'],
    ]);
    for (const d of DEMO_DISTRICTS) {
      expect(d.lat).toBeGreaterThan(28.5);
      expect(d.lat).toBeLessThan(28.8);
      expect(d.lon).toBeGreaterThan(115.7);
      expect(d.lon).toBeLessThan(116.1);
    }
  });
});

describe('demoCity', () => {
  const city = demoCity();

  it('makes 200 valid sirens by default, spread over the six districts', () => {
    expect(city).toHaveLength(200);
    for (const row of city) expect(validateRegistryRow({ ...row })).toEqual({ ok: true, row });
    const perDistrict = DEMO_DISTRICTS.map((d) => city.filter((r) => r.districtCode === d.code).length);
    expect(perDistrict).toEqual([34, 34, 33, 33, 33, 33]);
    expect(new Set(city.map((r) => r.id)).size).toBe(200);
  });

  it('names sirens by district index and running number', () => {
    expect(city[0]).toMatchObject({ id: 'NC-01-001', name: '东湖区 警报器 001', districtCode: '360102', districtName: '东湖区' });
    expect(city.find((r) => r.id === 'NC-03-033')).toMatchObject({ name: '青云谱区 警报器 033', districtCode: '360104' });
    expect(city.find((r) => r.id === 'NC-06-001')).toMatchObject({ districtName: '红谷滩区', districtCode: '360113' });
    expect(demoCity(6 * 1000)[999].id).toBe('NC-01-1000');
  });

  it('places each siren within its district’s radius', () => {
    for (const row of city) {
      const d = DEMO_DISTRICTS.find((x) => x.code === row.districtCode)!;
      const dy = (row.lat - d.lat) * 111.32;
      const dx = (row.lon - d.lon) * 111.32 * Math.cos((d.lat * Math.PI) / 180);
      expect(Math.hypot(dx, dy)).toBeLessThanOrEqual(d.radiusKm + 0.001);
    }
  });

  it('varies models and comms paths', () => {
    expect(new Set(city.map((r) => r.model))).toEqual(new Set(DEMO_MODELS.map((m) => m.model)));
    expect(new Set(city.map((r) => r.commsPath))).toEqual(new Set(['4g', 'radio', 'fiber', 'satellite']));
    expect(DEMO_MODELS.filter((m) => m.multimedia).map((m) => m.model)).toEqual(['MMS-300']);
  });

  it('is deterministic in (count, seed)', () => {
    expect(demoCity(200, 1)).toEqual(city);
    expect(demoCity(50, 9)).toEqual(demoCity(50, 9));
    expect(demoCity(200, 2)).not.toEqual(city);
    expect(demoCity(200, 2).map((r) => r.id)).toEqual(city.map((r) => r.id));
  });

  it('handles small and bad counts', () => {
    expect(demoCity(0)).toEqual([]);
    expect(demoCity(1).map((r) => r.id)).toEqual(['NC-01-001']);
    expect(demoCity(7).map((r) => r.id)).toEqual(['NC-01-001', 'NC-01-002', 'NC-02-001', 'NC-03-001', 'NC-04-001', 'NC-05-001', 'NC-06-001']);
    expect(() => demoCity(-1)).toThrow(RangeError);
    expect(() => demoCity(1.5)).toThrow(RangeError);
  });

  it('round-trips through the registry CSV', () => {
    const back = parseRegistryCsv(registryToCsv(city));
    expect(back.rejected).toEqual([]);
    expect(back.rows.map((x) => x.row)).toEqual(city);
  });
});
