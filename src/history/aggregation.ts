import { iso } from '../common/time.js';
import type { StatusAggregateEntity } from './status-aggregate.entity.js';

export const BUCKET_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Column prefix in status_aggregates → field of the history API. */
const METRICS = [
  ['battery_v', 'batteryV'],
  ['battery_pct', 'batteryPct'],
  ['temperature_c', 'temperatureC'],
  ['rssi_dbm', 'rssiDbm'],
] as const;
type Metric = (typeof METRICS)[number][1];

/** Raw points received before `rawBefore` (a bucket edge) are folded into aggregates; aggregates before `aggregatesBefore` go. */
export function retentionCutoffs(now: number, rawDays: number, aggregateDays: number) {
  return { rawBefore: Math.floor((now - rawDays * DAY_MS) / BUCKET_MS) * BUCKET_MS, aggregatesBefore: now - aggregateDays * DAY_MS };
}

const nullSafe = (op: '<' | '>', col: string) =>
  `${col} = case when status_aggregates.${col} is null then excluded.${col} when excluded.${col} is null then status_aggregates.${col} ` +
  `when excluded.${col} ${op} status_aggregates.${col} then excluded.${col} else status_aggregates.${col} end`;

/**
 * Folds raw points of [from, to) into their 5-minute buckets, adding to a bucket already there (late
 * points), so the result is the same as if every point had been aggregated at once. `source` is the
 * table (or CTE) holding the points, `where` picks them.
 */
export function foldSql(source: string, where: string): string {
  const cols = METRICS.flatMap(([c]) => [`${c}_n`, `${c}_sum`, `${c}_min`, `${c}_max`]);
  const selects = METRICS.flatMap(([c]) => [`count(${c})`, `coalesce(sum(${c}), 0)`, `min(${c})`, `max(${c})`]);
  const merges = METRICS.flatMap(([c]) => [
    `${c}_n = status_aggregates.${c}_n + excluded.${c}_n`,
    `${c}_sum = status_aggregates.${c}_sum + excluded.${c}_sum`,
    nullSafe('<', `${c}_min`),
    nullSafe('>', `${c}_max`),
  ]);
  const bucket = `(received_at / ${BUCKET_MS}) * ${BUCKET_MS}`;
  return `insert into status_aggregates (siren_id, bucket_start, count, mains_count, ${cols.join(', ')})
    select siren_id, ${bucket}, count(*), sum(case when mains then 1 else 0 end), ${selects.join(', ')}
    from ${source} where ${where} group by siren_id, ${bucket}
    on conflict (siren_id, bucket_start) do update set count = status_aggregates.count + excluded.count,
    mains_count = status_aggregates.mains_count + excluded.mains_count, ${merges.join(', ')}`;
}

const mean = (sum: number, n: number): number | null => (n ? sum / n : null);

/** A bucket as a history point: the API.md fields carry the means, marked `aggregated` with min/max and counts. */
export function aggregatePoint(a: StatusAggregateEntity) {
  const metric = (m: Metric) => ({
    mean: mean(a[`${m}Sum`], a[`${m}N`]),
    min: a[`${m}Min`],
    max: a[`${m}Max`],
  });
  const figures = Object.fromEntries(METRICS.map(([, m]) => [m, metric(m)])) as Record<Metric, ReturnType<typeof metric>>;
  const pick = (k: 'mean' | 'min' | 'max') => Object.fromEntries(METRICS.map(([, m]) => [m, figures[m][k]])) as Record<Metric, number | null>;
  return {
    ts: iso(a.bucketStart),
    receivedAt: iso(a.bucketStart),
    seq: null,
    mode: null,
    mains: a.mainsCount * 2 >= a.count,
    ...pick('mean'),
    aggregated: true as const,
    bucketEnd: iso(a.bucketStart + BUCKET_MS),
    count: a.count,
    mainsShare: a.mainsCount / a.count,
    min: pick('min'),
    max: pick('max'),
  };
}
