/** The signal pattern library of PROTOCOL.md and the rule that judges a measured sounding period. */
export type Tone = 'steady' | 'wail';

export interface SoundingPeriod {
  on: number;
  off: number;
  tone: Tone;
}

export interface SignalPattern {
  name: string;
  description: string;
  periods: SoundingPeriod[];
}

function repeat(on: number, off: number, tone: Tone, times: number): SoundingPeriod[] {
  return Array.from({ length: times }, () => ({ on, off, tone }));
}

export const BUILTIN_PATTERNS: readonly SignalPattern[] = [
  { name: 'cn.pre-alert', description: '预先警报 (air-raid pre-warning)', periods: repeat(36, 24, 'steady', 3) },
  { name: 'cn.air-raid', description: '空袭警报 (air raid)', periods: repeat(6, 6, 'steady', 15) },
  { name: 'cn.all-clear', description: '解除警报 (all clear)', periods: repeat(180, 0, 'steady', 1) },
  { name: 'de.warning', description: 'Warnung', periods: repeat(60, 0, 'wail', 1) },
  { name: 'de.all-clear', description: 'Entwarnung', periods: repeat(60, 0, 'steady', 1) },
  { name: 'us.alert', description: 'Alert (attention / steady)', periods: repeat(180, 0, 'steady', 1) },
  { name: 'us.attack', description: 'Attack (wavering)', periods: repeat(180, 0, 'wail', 1) },
  { name: 'test.short', description: 'engineering test', periods: repeat(2, 1, 'steady', 2) },
];

const byName = new Map(BUILTIN_PATTERNS.map((p) => [p.name, p]));

export function findBuiltinPattern(name: string): SignalPattern | undefined {
  return byName.get(name);
}

/** Total length in pattern seconds: every on and off period, the last off included. */
export function patternLengthS(pattern: SignalPattern): number {
  return pattern.periods.reduce((sum, p) => sum + p.on + p.off, 0);
}

/** A measured period passes when it differs from the expected one by at most max(10 %, 1 s). */
export function periodWithinTolerance(expectedS: number, measuredS: number): boolean {
  // The edge counts as within ("no more than"); the slack absorbs floating-point error at it.
  return Math.abs(measuredS - expectedS) <= Math.max(0.1 * expectedS, 1) + 1e-9;
}

/** Indexes of the periods that fail, plus a failure when the count of periods differs. */
export function judgePeriods(pattern: SignalPattern, onSeconds: readonly number[]): string | null {
  if (onSeconds.length !== pattern.periods.length) {
    return `${onSeconds.length} sounding periods, expected ${pattern.periods.length}`;
  }
  const bad = pattern.periods.findIndex((p, i) => !periodWithinTolerance(p.on, onSeconds[i]));
  if (bad < 0) return null;
  return `period ${bad + 1} lasted ${onSeconds[bad]} s, expected ${pattern.periods[bad].on} s`;
}
