import { describe, expect, it } from '@jest/globals';
import { BUILTIN_PATTERNS, findBuiltinPattern, judgePeriods, patternLengthS, periodWithinTolerance, type SignalPattern } from './patterns.js';

const must = (name: string): SignalPattern => {
  const p = findBuiltinPattern(name);
  if (!p) throw new Error(`no pattern ${name}`);
  return p;
};

describe('built-in pattern library (PROTOCOL.md "Signal patterns")', () => {
  it.each([
    // name, on, off, tone, repeats, length
    ['cn.pre-alert', 36, 24, 'steady', 3, 180],
    ['cn.air-raid', 6, 6, 'steady', 15, 180],
    ['cn.all-clear', 180, 0, 'steady', 1, 180],
    ['de.warning', 60, 0, 'wail', 1, 60],
    ['de.all-clear', 60, 0, 'steady', 1, 60],
    ['us.alert', 180, 0, 'steady', 1, 180],
    ['us.attack', 180, 0, 'wail', 1, 180],
    ['test.short', 2, 1, 'steady', 2, 6],
  ] as const)('%s: %p s on, %p s off, %s, ×%p = %p s', (name, on, off, tone, repeats, length) => {
    const p = must(name);
    expect(p.name).toBe(name);
    expect(p.periods).toHaveLength(repeats);
    for (const period of p.periods) expect(period).toEqual({ on, off, tone });
    expect(patternLengthS(p)).toBe(length);
  });

  it('holds exactly the eight patterns of the table, each once', () => {
    expect(BUILTIN_PATTERNS.map((p) => p.name).sort()).toEqual(
      ['cn.all-clear', 'cn.air-raid', 'cn.pre-alert', 'de.all-clear', 'de.warning', 'test.short', 'us.alert', 'us.attack'].sort(),
    );
  });

  it('knows no other names (case matters)', () => {
    expect(findBuiltinPattern('cn.air-raid ')).toBeUndefined();
    expect(findBuiltinPattern('CN.AIR-RAID')).toBeUndefined();
    expect(findBuiltinPattern('')).toBeUndefined();
  });

  it('counts the last off period in the length', () => {
    expect(patternLengthS({ name: 'x', description: '', periods: [{ on: 5, off: 7, tone: 'steady' }] })).toBe(12);
    expect(patternLengthS({ name: 'empty', description: '', periods: [] })).toBe(0);
  });
});

describe('tolerance: max(10 %, 1 s)', () => {
  it('allows 1 s for short periods, inclusive', () => {
    expect(periodWithinTolerance(2, 3)).toBe(true);
    expect(periodWithinTolerance(2, 1)).toBe(true);
    expect(periodWithinTolerance(2, 3.01)).toBe(false);
    expect(periodWithinTolerance(2, 0.99)).toBe(false);
    expect(periodWithinTolerance(6, 7)).toBe(true);
    expect(periodWithinTolerance(6, 4.9)).toBe(false);
  });

  it('switches to 10 % above 10 s', () => {
    // 10 s: both rules give 1 s.
    expect(periodWithinTolerance(10, 11)).toBe(true);
    expect(periodWithinTolerance(10, 11.01)).toBe(false);
    expect(periodWithinTolerance(180, 198)).toBe(true);
    expect(periodWithinTolerance(180, 162)).toBe(true);
    expect(periodWithinTolerance(180, 198.1)).toBe(false);
    expect(periodWithinTolerance(180, 161.9)).toBe(false);
    expect(periodWithinTolerance(60, 66)).toBe(true);
    expect(periodWithinTolerance(60, 66.1)).toBe(false);
  });

  it('takes an exact match and refuses a silent period', () => {
    expect(periodWithinTolerance(36, 36)).toBe(true);
    expect(periodWithinTolerance(36, 0)).toBe(false);
  });

  it('refuses a cn.pre-alert period just outside 10 % (36 s ± 3.6 s)', () => {
    expect(periodWithinTolerance(36, 39.7)).toBe(false);
    expect(periodWithinTolerance(36, 32.3)).toBe(false);
    expect(periodWithinTolerance(36, 39.5)).toBe(true);
  });

  // PROTOCOL.md: passes when it differs "by no more than" 10 %. 39.6 − 36 is 3.6000000000000014 in
  // binary floating point while 0.1 × 36 is 3.6000000000000005, so the edge is refused today.
  it('BUG: passes a cn.pre-alert period exactly 10 % off (39.6 s and 32.4 s for 36 s)', () => {
    expect(periodWithinTolerance(36, 39.6)).toBe(true);
    expect(periodWithinTolerance(36, 32.4)).toBe(true);
  });
});

describe('judgePeriods', () => {
  it('passes measurements within tolerance', () => {
    expect(judgePeriods(must('cn.pre-alert'), [36, 35.1, 37.9])).toBeNull();
    expect(judgePeriods(must('test.short'), [2.9, 1.1])).toBeNull();
    expect(judgePeriods(must('cn.air-raid'), Array(15).fill(6.5))).toBeNull();
  });

  it('names the first period out of tolerance, counted from 1', () => {
    expect(judgePeriods(must('cn.pre-alert'), [36, 30, 20])).toBe('period 2 lasted 30 s, expected 36 s');
    expect(judgePeriods(must('test.short'), [0.5, 2])).toBe('period 1 lasted 0.5 s, expected 2 s');
    const airRaid = Array(15).fill(6);
    airRaid[14] = 8;
    expect(judgePeriods(must('cn.air-raid'), airRaid)).toBe('period 15 lasted 8 s, expected 6 s');
  });

  it('fails on too few or too many periods before looking at lengths', () => {
    expect(judgePeriods(must('cn.air-raid'), [6.0, 6.1, 5.9])).toBe('3 sounding periods, expected 15');
    expect(judgePeriods(must('cn.all-clear'), [])).toBe('0 sounding periods, expected 1');
    expect(judgePeriods(must('test.short'), [2, 2, 2])).toBe('3 sounding periods, expected 2');
  });

  it('judges operator patterns of mixed lengths period by period', () => {
    const custom: SignalPattern = { name: 'x', description: '', periods: [{ on: 5, off: 1, tone: 'steady' }, { on: 100, off: 0, tone: 'wail' }] };
    expect(judgePeriods(custom, [6, 110])).toBeNull();
    expect(judgePeriods(custom, [6, 111])).toBe('period 2 lasted 111 s, expected 100 s');
  });
});
