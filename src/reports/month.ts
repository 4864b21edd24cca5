import { localTime } from '../common/local-time.js';

/** Calendar months of the office's time zone (REPORT_TIME_ZONE), read through Intl (DST-safe). */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function offsetMs(ms: number, tz: string): number {
  const l = localTime(ms, tz);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(ms / 60_000) * 60_000;
}

/** The instant the zone's calendar reaches the first of the month, 00:00. */
function startOf(year: number, month: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, 1);
  // Twice: the offset at the guess may differ from the offset at the answer across a DST change.
  return wall - offsetMs(wall - offsetMs(wall, tz), tz);
}

/** `YYYY-MM` → [from, to) in epoch ms. */
export function monthRange(month: string, tz: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number);
  return { from: startOf(y, m, tz), to: m === 12 ? startOf(y + 1, 1, tz) : startOf(y, m + 1, tz) };
}

export function monthOf(ms: number, tz: string): string {
  const l = localTime(ms, tz);
  return `${l.year}-${pad(l.month)}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}
