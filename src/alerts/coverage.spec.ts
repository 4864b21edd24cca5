import { describe, expect, it } from '@jest/globals';
import { covers, distanceKm, inCircle, inPolygon } from './coverage.js';

// Hand-placed sirens around Nanchang's 八一广场 (28.6820 N, 115.8930 E).
const square = { lat: 28.682, lon: 115.893, districtCode: '360102' };
const north = { lat: 28.75, lon: 115.893, districtCode: '360111' };
const east = { lat: 28.682, lon: 115.95, districtCode: '360111' };
const box = '28.66,115.87 28.70,115.87 28.70,115.92 28.66,115.92 28.66,115.87';

describe('alert area coverage', () => {
  it('takes a polygon in CAP order (lat,lon)', () => {
    expect(inPolygon(square, box)).toBe(true);
    expect(inPolygon(north, box)).toBe(false);
    expect(inPolygon(east, box)).toBe(false);
    expect(inPolygon(square, '28.66,115.87 28.70,115.87')).toBe(false);
  });

  it('takes a circle of lat,lon and radius in km', () => {
    expect(distanceKm(square, north)).toBeCloseTo(7.56, 1);
    expect(inCircle(north, '28.682,115.893 7.6')).toBe(true);
    expect(inCircle(north, '28.682,115.893 7.5')).toBe(false);
    expect(inCircle(square, 'garbage')).toBe(false);
  });

  it('matches geocodes of the configured value names to district codes', () => {
    const area = { areaDesc: '东湖区', polygon: [], circle: [], geocode: [{ valueName: 'GB/T2260', value: '360102' }] };
    const names = new Set(['GB/T2260']);
    expect(covers([area], square, names)).toBe(true);
    expect(covers([area], north, names)).toBe(false);
    expect(covers([{ ...area, geocode: [{ valueName: 'FIPS6', value: '360102' }] }], square, names)).toBe(false);
    expect(covers([{ areaDesc: 'x', polygon: [box], circle: ['28.75,115.893 1'], geocode: [] }], north, names)).toBe(true);
  });
});
