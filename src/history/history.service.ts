import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, type Repository } from 'typeorm';
import { iso } from '../common/time.js';
import { bulkInsert } from '../database/bulk.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { SirenStateService, type AppliedStatus } from '../sirens/siren-state.service.js';
import { aggregatePoint } from './aggregation.js';
import { StatusAggregateEntity } from './status-aggregate.entity.js';
import { StatusPointEntity } from './status-point.entity.js';

const POINTS = {
  table: 'status_points',
  columns: ['siren_id', 'boot_id', 'seq', 'ts', 'received_at', 'mode', 'mains', 'battery_v', 'battery_pct', 'temperature_c', 'rssi_dbm'],
  pgTypes: ['text', 'text', 'bigint', 'bigint', 'bigint', 'text', 'bool', 'float8', 'float8', 'float8', 'float8'],
  onConflict: 'on conflict do nothing',
} as const;

export interface HistoryQuery {
  from?: number;
  to?: number;
  limit: number;
}

/** Every applied status as a typed row, written in the ingest batch. */
@Injectable()
export class HistoryService implements OnModuleInit {
  private pending: unknown[][] = [];

  constructor(
    @InjectRepository(StatusPointEntity) private readonly repo: Repository<StatusPointEntity>,
    @InjectRepository(StatusAggregateEntity) private readonly aggregates: Repository<StatusAggregateEntity>,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
  ) {}

  onModuleInit(): void {
    this.state.statusApplied$.subscribe((a) => this.pending.push(toRow(a)));
    this.writeBehind.register('history', () => {
      if (!this.pending.length) return null;
      const rows = this.pending;
      this.pending = [];
      return (tx) => bulkInsert(tx, POINTS, rows);
    });
  }

  /**
   * Stored points oldest first; with only a limit, the newest `limit` points. Raw points and, where they
   * have been pruned, the 5-minute aggregates that replaced them (marked `aggregated`).
   */
  async points(sirenId: string, q: HistoryQuery) {
    const newest = q.from === undefined;
    const where = { sirenId, receivedAt: Between(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER) };
    const order = newest ? ('DESC' as const) : ('ASC' as const);
    const [raw, buckets] = await Promise.all([
      this.repo.find({ where, order: { receivedAt: order, seq: order }, take: q.limit }),
      this.aggregates.find({ where: { sirenId, bucketStart: where.receivedAt }, order: { bucketStart: order }, take: q.limit }),
    ]);
    // Oldest first before merging: the sort is stable, so points received in the same millisecond keep seq order.
    if (newest) [raw, buckets].forEach((list) => list.reverse());
    const merged = [...raw.map(rawPoint), ...buckets.map(aggregatePoint)].sort((a, b) => (a.receivedAt! < b.receivedAt! ? -1 : a.receivedAt! > b.receivedAt! ? 1 : 0));
    return newest ? merged.slice(-q.limit) : merged.slice(0, q.limit);
  }
}

function rawPoint(p: StatusPointEntity) {
  return {
    ts: iso(p.ts),
    receivedAt: iso(p.receivedAt),
    seq: p.seq,
    mode: p.mode,
    mains: p.mains,
    batteryV: p.batteryV,
    batteryPct: p.batteryPct,
    temperatureC: p.temperatureC,
    rssiDbm: p.rssiDbm,
  };
}

function toRow({ sirenId, status: s, receivedAt }: AppliedStatus): unknown[] {
  return [sirenId, s.bootId, s.seq, Date.parse(s.ts), receivedAt, s.mode, s.mains, s.batteryV ?? null, s.batteryPct, s.temperatureC, s.rssiDbm ?? null];
}
