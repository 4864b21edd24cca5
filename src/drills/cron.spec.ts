import { describe, expect, it } from '@jest/globals';
import { CronError, nextRun, parseCron } from './cron.js';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, tz: string, after: string) => new Date(nextRun(parseCron(expr), tz, at(after))!).toISOString();

describe('cron schedules', () => {
  it('finds every 18 September 10:00 in Shanghai (UTC+8)', () => {
    expect(next('0 10 18 9 *', 'Asia/Shanghai', '2026-11-30T00:00:00Z')).toBe('2027-09-18T02:00:00.000Z');
    expect(next('0 10 18 9 *', 'Asia/Shanghai', '2027-09-18T01:59:00Z')).toBe('2027-09-18T02:00:00.000Z');
    expect(next('0 10 18 9 *', 'Asia/Shanghai', '2027-09-18T02:00:00Z')).toBe('2028-09-18T02:00:00.000Z');
  });

  it('finds the first Monday of each month', () => {
    expect(next('0 9 * * 1#1', 'Asia/Shanghai', '2026-11-30T00:00:00Z')).toBe('2026-12-07T01:00:00.000Z');
    expect(next('0 9 * * 1#1', 'Asia/Shanghai', '2026-12-07T01:00:00Z')).toBe('2027-01-04T01:00:00.000Z');
  });

  it('reads lists, ranges and steps, and Sunday as 0 or 7', () => {
    expect(next('*/15 8-9 * * *', 'UTC', '2026-01-01T09:50:00Z')).toBe('2026-01-02T08:00:00.000Z');
    expect(next('30 12 * * 7', 'UTC', '2026-11-30T00:00:00Z')).toBe('2026-12-06T12:30:00.000Z');
    expect(next('0 0 1,15 * *', 'UTC', '2026-11-30T00:00:00Z')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('keeps local time across a daylight-saving change', () => {
    // Berlin: 2026-03-29 moves from UTC+1 to UTC+2.
    expect(next('0 10 * * *', 'Europe/Berlin', '2026-03-28T10:00:00Z')).toBe('2026-03-29T08:00:00.000Z');
  });

  it('refuses what it cannot read, naming the field', () => {
    expect(() => parseCron('0 10 18 9')).toThrow(new CronError('expected 5 fields (minute hour day month weekday), got 4'));
    expect(() => parseCron('0 25 * * *')).toThrow('hour: "25" is outside 0–23');
    expect(() => parseCron('x * * * *')).toThrow('minute: cannot read "x"');
  });
});
