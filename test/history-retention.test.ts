import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { BUCKET_MS } from '../src/history/aggregation.js';
import { HistoryRetention } from '../src/history/retention.service.js';
import { StatusPointEntity } from '../src/history/status-point.entity.js';
import { backends, externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';

const DAY = 86_400_000;
const SIREN = 'HR-1';

interface Point {
  receivedAt: number;
  mains: boolean;
  batteryV: number | null;
  batteryPct: number;
  temperatureC: number;
  rssiDbm: number | null;
}

/** What a bucket of raw points must become: count, mean, min and max of each metric, the mains share. */
function expected(points: Point[]) {
  const metric = (k: 'batteryV' | 'batteryPct' | 'temperatureC' | 'rssiDbm') => {
    const xs = points.map((p) => p[k]).filter((x): x is number => x !== null);
    return xs.length ? { mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) } : { mean: null, min: null, max: null };
  };
  const m = { batteryV: metric('batteryV'), batteryPct: metric('batteryPct'), temperatureC: metric('temperatureC'), rssiDbm: metric('rssiDbm') };
  return { count: points.length, mainsShare: points.filter((p) => p.mains).length / points.length, ...m };
}

/** Raw points older than HISTORY_RAW_DAYS become 5-minute aggregates equal to the points they replace (both backends). */
describe.each(backends())('history retention (%s)', (backend) => {
  let svc: TestService;
  let db: DataSource;
  let dropDb: (() => Promise<void>) | undefined;
  const now = Date.now();
  // Three buckets ten days ago (one of them partly null), and recent points that must stay raw.
  const base = Math.floor((now - 10 * DAY) / BUCKET_MS) * BUCKET_MS;
  let seq = 0;
  const point = (receivedAt: number, i: number): Point => ({
    receivedAt,
    mains: i % 3 !== 0,
    batteryV: i % 4 === 0 ? null : 26 + i * 0.1,
    batteryPct: 90 - i,
    temperatureC: 20 + (i % 5) * 1.5,
    rssiDbm: receivedAt < base + BUCKET_MS ? null : -70 - i,
  });
  const old = Array.from({ length: 15 }, (_, i) => point(base + Math.floor(i / 5) * BUCKET_MS + (i % 5) * 50_000, i));
  const recent = Array.from({ length: 4 }, (_, i) => point(now - 3_600_000 + i * 10_000, i));

  const insert = (points: Point[]) =>
    db.getRepository(StatusPointEntity).insert(points.map((p) => ({ ...p, sirenId: SIREN, bootId: 'b-1', seq: seq++, ts: p.receivedAt, mode: 'idle' })));
  const history = (from: number, to: number) => svc.get(`/api/sirens/${SIREN}/history?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
  const rawCount = async (before: number) => Number((await db.query(`select count(*) as n from status_points where received_at < ${before}`))[0].n);

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl });
    await svc.register([SIREN]);
    db = svc.app.get(DataSource);
    await insert([...old, ...recent]);
  });

  afterAll(async () => {
    await svc?.close();
    await dropDb?.();
  });

  it('folds raw points older than 7 days into aggregates that equal them, and keeps recent ones raw', async () => {
    const before = await history(base, now);
    expect(before).toHaveLength(old.length + recent.length);
    expect(before.some((p: { aggregated?: boolean }) => p.aggregated)).toBe(false);

    expect(await svc.app.get(HistoryRetention).run()).toBeGreaterThan(0);
    expect(await rawCount(now - 7 * DAY)).toBe(0);

    const after = await history(base, now);
    const buckets = after.filter((p: { aggregated?: boolean }) => p.aggregated);
    expect(buckets).toHaveLength(3);
    for (const [i, b] of buckets.entries()) {
      const e = expected(old.slice(i * 5, i * 5 + 5));
      expect(b).toMatchObject({ ts: new Date(base + i * BUCKET_MS).toISOString(), bucketEnd: new Date(base + (i + 1) * BUCKET_MS).toISOString(), count: e.count, mainsShare: e.mainsShare });
      for (const k of ['batteryV', 'batteryPct', 'temperatureC', 'rssiDbm'] as const) {
        if (e[k].mean === null) expect([k, b[k], b.min[k], b.max[k]]).toEqual([k, null, null, null]);
        else {
          expect(b[k]).toBeCloseTo(e[k].mean!, 9);
          expect([k, b.min[k], b.max[k]]).toEqual([k, e[k].min, e[k].max]);
        }
      }
    }
    // The recent points come back raw, after the aggregates, in the API.md form.
    expect(after.slice(3).map((p: { receivedAt: string }) => p.receivedAt)).toEqual(recent.map((p) => new Date(p.receivedAt).toISOString()));
    expect(after[3]).toMatchObject({ seq: expect.any(Number), mode: 'idle', batteryPct: recent[0].batteryPct });
    expect(after[3].aggregated).toBeUndefined();
  });

  it('merges a late point into its bucket, and a repeated run changes nothing', async () => {
    const late = point(base + BUCKET_MS + 200_000, 99);
    await insert([late]);
    await svc.app.get(HistoryRetention).run();
    expect(await svc.app.get(HistoryRetention).run()).toBe(0);
    const [, second] = (await history(base, base + 3 * BUCKET_MS)).filter((p: { aggregated?: boolean }) => p.aggregated);
    const e = expected([...old.slice(5, 10), late]);
    expect(second).toMatchObject({ count: 6, mainsShare: e.mainsShare });
    expect(second.batteryPct).toBeCloseTo(e.batteryPct.mean!, 9);
    expect(second.min.rssiDbm).toBe(e.rssiDbm.min);
  });

  it('serves the newest points by limit across aggregates and raw points', async () => {
    const newest = await svc.get(`/api/sirens/${SIREN}/history?limit=5`);
    expect(newest.map((p: { aggregated?: boolean }) => !!p.aggregated)).toEqual([true, false, false, false, false]);
  });

  it('drops aggregates older than a year', async () => {
    const ancient = now - 400 * DAY;
    await insert([point(ancient, 1)]);
    await svc.app.get(HistoryRetention).run();
    expect(await history(ancient - DAY, ancient + DAY)).toEqual([]);
    expect(await rawCount(ancient + DAY)).toBe(0);
  });
});
