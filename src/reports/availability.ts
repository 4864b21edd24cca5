import { clip, measure, subtract, union, type Interval } from './intervals.js';

/** One siren's recorded time: offline faults, impairing faults and maintenance (end Infinity while open). */
export interface SirenTimeline {
  offline: readonly Interval[];
  impaired: readonly Interval[];
  maintenance: readonly Interval[];
}

export interface SirenAvailability {
  /** The period less maintenance, in ms. */
  countedMs: number;
  offlineMs: number;
  /** Impaired while online (time offline is counted once, as offline). */
  impairedMs: number;
  /** 1 − (offline ∪ impaired) / counted; null when nothing of the period is counted. */
  availability: number | null;
  /** Durations of the down stretches (offline ∪ impaired) that ended inside the period, in ms. */
  repairsMs: number[];
}

/**
 * Availability of one siren over [from, to): counted time is the period less maintenance; down time is
 * the union of offline and impairing-fault intervals within counted time. A repair is a closed down
 * stretch that ended within the period, measured whole (also the part before `from`).
 */
export function sirenAvailability(from: number, to: number, t: SirenTimeline): SirenAvailability {
  const maintenance = union(t.maintenance);
  const counted = subtract([[from, to]], maintenance);
  const offline = clip(subtract(union(t.offline), maintenance), from, to);
  const downAll = union([...t.offline, ...t.impaired]);
  const down = clip(subtract(downAll, maintenance), from, to);
  const countedMs = measure(counted);
  const offlineMs = measure(offline);
  const downMs = measure(down);
  return {
    countedMs,
    offlineMs,
    impairedMs: downMs - offlineMs,
    availability: countedMs > 0 ? 1 - downMs / countedMs : null,
    repairsMs: downAll.filter(([, e]) => Number.isFinite(e) && e >= from && e < to).map(([s, e]) => e - s),
  };
}

export interface AvailabilityRow {
  availability: number | null;
  offlineSeconds: number;
  impairedSeconds: number;
  mttrSeconds: number | null;
  repairs: number;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * One row for a siren, or for a group of sirens: the mean of their availabilities (sirens with no
 * counted time left out), summed offline and impaired time, and the mean of all their repairs.
 */
export function availabilityRow(xs: readonly SirenAvailability[]): AvailabilityRow {
  const repairs = xs.flatMap((x) => x.repairsMs);
  const mttr = mean(repairs);
  const availability = mean(xs.map((x) => x.availability).filter((a): a is number => a !== null));
  // Rounded here once, so that the API, the CSV and the printed report carry the very same figures.
  return {
    availability: availability === null ? null : round(availability, 6),
    offlineSeconds: round(xs.reduce((n, x) => n + x.offlineMs, 0) / 1000, 3),
    impairedSeconds: round(xs.reduce((n, x) => n + x.impairedMs, 0) / 1000, 3),
    mttrSeconds: mttr === null ? null : round(mttr / 1000, 3),
    repairs: repairs.length,
  };
}
