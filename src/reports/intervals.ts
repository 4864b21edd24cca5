/** Half-open time intervals [start, end) in epoch ms; `end` Infinity for one still open. */
export type Interval = readonly [start: number, end: number];

/** Sorted, non-overlapping; touching intervals are joined. */
export function union(xs: readonly Interval[]): Interval[] {
  const sorted = xs.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function clip(xs: readonly Interval[], from: number, to: number): Interval[] {
  return xs.map(([s, e]): Interval => [Math.max(s, from), Math.min(e, to)]).filter(([s, e]) => e > s);
}

/** `a` without the time covered by `b` (both as union() returns them). */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [s0, e] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

export const measure = (xs: readonly Interval[]): number => xs.reduce((n, [s, e]) => n + (e - s), 0);
