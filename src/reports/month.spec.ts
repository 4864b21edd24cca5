import { describe, expect, it } from '@jest/globals';
import { localStamp } from '../common/local-time.js';
import { monthOf, monthRange, previousMonth } from './month.js';

describe('report months in the office time zone', () => {
  it('starts a Shanghai month at local midnight (UTC+8)', () => {
    const r = monthRange('2026-09', 'Asia/Shanghai');
    expect(new Date(r.from).toISOString()).toBe('2026-08-31T16:00:00.000Z');
    expect(new Date(r.to).toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  it('crosses the year and follows daylight saving time', () => {
    expect(new Date(monthRange('2026-12', 'Asia/Shanghai').to).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    // Berlin: UTC+2 in summer, UTC+1 from the last Sunday of October.
    const r = monthRange('2026-10', 'Europe/Berlin');
    expect(new Date(r.from).toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(new Date(r.to).toISOString()).toBe('2026-10-31T23:00:00.000Z');
  });

  it('names the local month of an instant and the month before', () => {
    expect(monthOf(Date.parse('2026-08-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-09');
    expect(monthOf(Date.parse('2026-08-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-08');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
    expect(localStamp(Date.parse('2026-09-18T02:05:00Z'), 'Asia/Shanghai')).toBe('2026-09-18 10:05');
  });
});
