import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../common/clock.js';
import { aggregatePoint, BUCKET_MS, retentionCutoffs } from './aggregation.js';
import type { StatusAggregateEntity } from './status-aggregate.entity.js';

describe('history retention cut-offs', () => {
  it('keeps 7 days of raw points, cut at a bucket edge, and a year of aggregates', () => {
    const clock = new FakeClock(Date.parse('2026-09-18T02:03:20.500Z'));
    const c = retentionCutoffs(clock.now(), 7, 365);
    expect(new Date(c.rawBefore).toISOString()).toBe('2026-09-11T02:00:00.000Z');
    expect(c.rawBefore % BUCKET_MS).toBe(0);
    expect(new Date(c.aggregatesBefore).toISOString()).toBe('2025-09-18T02:03:20.500Z');
    clock.advance(BUCKET_MS - 1);
    expect(retentionCutoffs(clock.now(), 7, 365).rawBefore).toBe(c.rawBefore + BUCKET_MS);
  });
});

describe('aggregate points', () => {
  const bucket: StatusAggregateEntity = {
    sirenId: 'S-1',
    bucketStart: Date.parse('2026-09-01T10:05:00Z'),
    count: 4,
    mainsCount: 3,
    batteryVN: 2,
    batteryVSum: 26.5,
    batteryVMin: 13.1,
    batteryVMax: 13.4,
    batteryPctN: 4,
    batteryPctSum: 380,
    batteryPctMin: 90,
    batteryPctMax: 100,
    temperatureCN: 4,
    temperatureCSum: 100,
    temperatureCMin: 24,
    temperatureCMax: 26,
    rssiDbmN: 0,
    rssiDbmSum: 0,
    rssiDbmMin: null,
    rssiDbmMax: null,
  };

  it('carries the means in the API fields, marked, with min/max and the mains share', () => {
    expect(aggregatePoint(bucket)).toEqual({
      ts: '2026-09-01T10:05:00.000Z',
      receivedAt: '2026-09-01T10:05:00.000Z',
      seq: null,
      mode: null,
      mains: true,
      batteryV: 13.25,
      batteryPct: 95,
      temperatureC: 25,
      rssiDbm: null,
      aggregated: true,
      bucketEnd: '2026-09-01T10:10:00.000Z',
      count: 4,
      mainsShare: 0.75,
      min: { batteryV: 13.1, batteryPct: 90, temperatureC: 24, rssiDbm: null },
      max: { batteryV: 13.4, batteryPct: 100, temperatureC: 26, rssiDbm: null },
    });
  });

  it('says on battery when most of the bucket was', () => {
    expect(aggregatePoint({ ...bucket, mainsCount: 1 }).mains).toBe(false);
  });
});
