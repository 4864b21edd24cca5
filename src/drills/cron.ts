import { localTime, type LocalTime } from '../common/local-time.js';
/**
 * Five-field cron (minute hour day-of-month month day-of-week) evaluated in an IANA time zone, for
 * drill schedules: `0 10 18 9 *` Asia/Shanghai is every 18 September 10:00; `0 9 * * 1#1` is the first
 * Monday of each month. Fields take `*`, numbers, ranges, lists and steps; day-of-week 0–7 (0 and 7 are
 * Sunday) and `d#n` (the n-th such weekday of the month). As in cron, when both day fields are
 * restricted a day matches either.
 */
export interface CronSpec {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** `d#n` entries: weekday d, n-th of the month. */
  nthWeekdays: { weekday: number; nth: number }[];
  domRestricted: boolean;
  dowRestricted: boolean;
}

export class CronError extends Error {}

function field(text: string, min: number, max: number, name: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`${name}: cannot read "${part}"`);
    const lo = m[1] === '*' ? min : Number(m[2]);
    const hi = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : lo;
    const step = m[4] ? Number(m[4]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) throw new CronError(`${name}: "${part}" is outside ${min}–${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [mi, h, dom, mon, dow] = parts;
  const nthWeekdays: CronSpec['nthWeekdays'] = [];
  const plainDow = dow
    .split(',')
    .filter((p) => {
      const m = /^(\d)#([1-5])$/.exec(p);
      if (m) nthWeekdays.push({ weekday: Number(m[1]) % 7, nth: Number(m[2]) });
      return !m;
    })
    .join(',');
  const weekdays = plainDow ? new Set([...field(plainDow, 0, 7, 'weekday')].map((d) => d % 7)) : new Set<number>();
  return {
    minutes: field(mi, 0, 59, 'minute'),
    hours: field(h, 0, 23, 'hour'),
    days: field(dom, 1, 31, 'day of month'),
    months: field(mon, 1, 12, 'month'),
    weekdays,
    nthWeekdays,
    domRestricted: dom !== '*',
    dowRestricted: dow !== '*',
  };
}

function dayMatches(s: CronSpec, t: LocalTime): boolean {
  if (!s.months.has(t.month)) return false;
  const dom = s.days.has(t.day);
  const dow = s.weekdays.has(t.weekday) || s.nthWeekdays.some((n) => n.weekday === t.weekday && Math.ceil(t.day / 7) === n.nth);
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  if (s.dowRestricted) return dow;
  return dom;
}

/**
 * The first matching minute strictly after `after` (epoch ms), or null within ~5 years. Walks whole
 * days that cannot match, then minutes, reading local fields through Intl (DST-safe).
 */
export function nextRun(s: CronSpec, timeZone: string, after: number): number | null {
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  const limit = after + 5 * 366 * 86_400_000;
  while (t < limit) {
    const local = localTime(t, timeZone);
    if (!dayMatches(s, local)) {
      // To the next local midnight (at most a day ahead; DST shifts are absorbed by the re-read).
      t += ((23 - local.hour) * 60 + (60 - local.minute)) * 60_000;
      continue;
    }
    if (!s.hours.has(local.hour)) {
      t += (60 - local.minute) * 60_000;
      continue;
    }
    if (s.minutes.has(local.minute)) return t;
    t += 60_000;
  }
  return null;
}
