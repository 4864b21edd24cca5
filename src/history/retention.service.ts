import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { BUCKET_MS, foldSql, retentionCutoffs } from './aggregation.js';

/** One transaction folds at most this much time of raw points (10 000 sirens every 10 s ≈ 0.9 M rows). */
const SLICE_MS = 3 * BUCKET_MS;
/** A run stops after this many slices or this long, whichever comes first; the next run goes on. */
const MAX_SLICES = 2_000;
const RUN_BUDGET_MS = 60_000;

/**
 * History retention: raw status points older than HISTORY_RAW_DAYS become 5-minute aggregates, and
 * aggregates older than HISTORY_AGGREGATE_DAYS are deleted. Safe on several instances at once (there is
 * no leader election yet): a slice's points are deleted and folded in one statement (PostgreSQL: a
 * DELETE … RETURNING feeding the upsert), so a point is folded by exactly the instance that deleted it,
 * and a late point merges into its bucket by sums and counts.
 */
@Injectable()
export class HistoryRetention implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('history');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.run().catch((e: unknown) => this.log.error(`retention: ${e instanceof Error ? e.message : String(e)}`));
    }, this.config.HISTORY_RETENTION_INTERVAL_S * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One retention pass (a pass already going on is joined); the number of slices folded. */
  run(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const { rawBefore, aggregatesBefore } = retentionCutoffs(this.clock.now(), this.config.HISTORY_RAW_DAYS, this.config.HISTORY_AGGREGATE_DAYS);
    const pg = this.db.options.type === 'postgres';
    const started = performance.now();
    let slices = 0;
    while (slices < MAX_SLICES && performance.now() - started < RUN_BUDGET_MS) {
      const [{ oldest }] = await this.db.query(`select min(received_at) as oldest from status_points where received_at < ${pg ? '$1' : '?'}`, [rawBefore]);
      if (oldest === null || oldest === undefined) break;
      const from = Math.floor(Number(oldest) / BUCKET_MS) * BUCKET_MS;
      const to = Math.min(rawBefore, from + SLICE_MS);
      if (pg) {
        await this.db.query(`with moved as (delete from status_points where received_at >= $1 and received_at < $2 returning *) ${foldSql('moved', 'true')}`, [from, to]);
      } else {
        await this.db.transaction(async (tx) => {
          await tx.query(foldSql('status_points', 'received_at >= ? and received_at < ?'), [from, to]);
          await tx.query('delete from status_points where received_at >= ? and received_at < ?', [from, to]);
        });
      }
      slices++;
    }
    await this.db.query(`delete from status_aggregates where bucket_start < ${pg ? '$1' : '?'}`, [aggregatesBefore]);
    if (slices) this.log.log(`retention: folded ${slices} slice(s) of raw points older than ${new Date(rawBefore).toISOString()} into 5-minute aggregates`);
    return slices;
  }
}
