import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { bulkInsert } from '../database/bulk.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { QuarantineEntity } from './quarantine.entity.js';

export type QuarantineReason = 'oversize' | 'not-json' | 'invalid' | 'bad-topic' | 'id-mismatch' | 'unregistered' | 'cap-invalid';

const ROWS = {
  table: 'quarantine',
  columns: ['received_at', 'topic', 'siren_id', 'reason', 'detail', 'payload'],
  pgTypes: ['bigint', 'text', 'text', 'text', 'text', 'text'],
  onConflict: '',
} as const;
/** Rows kept per batch in a flood; the rest are counted and logged in summary only. */
const MAX_ROWS_PER_BATCH = 2_000;
const LOG_LINES_PER_MINUTE = 60;
/** PostgreSQL text cannot hold U+0000: one such byte in a hostile payload would fail the whole batch. */
const noNul = (s: string) => s.replace(/\u0000/g, '\uFFFD');

/**
 * Bad, foreign and unregistered traffic: kept with its reason (bounded table, oldest pruned), counted,
 * logged (rate-limited so a flood cannot drown the log), never dropped silently, never blocking ingest.
 */
@Injectable()
export class QuarantineService implements OnModuleInit {
  private readonly log = new Logger('quarantine');
  private pending: unknown[][] = [];
  private overflow = 0;
  private logged = 0;
  private logWindowStart = 0;
  private suppressed = 0;
  private batches = 0;

  constructor(
    @InjectRepository(QuarantineEntity) private readonly repo: Repository<QuarantineEntity>,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.writeBehind.register('quarantine', () => this.collect());
  }

  add(reason: QuarantineReason, topic: string, sirenId: string | null, detail: string, payload: Buffer, receivedAt: number): void {
    this.metrics.quarantined.inc({ reason });
    this.logLine(receivedAt, `${reason} on ${topic}: ${detail}`);
    if (this.pending.length >= MAX_ROWS_PER_BATCH) {
      this.overflow++;
      return;
    }
    const text = payload.toString('utf8', 0, Math.min(payload.length, 16 * 1024 + 1));
    this.pending.push([receivedAt, noNul(topic.slice(0, 1024)), sirenId, reason, noNul(detail.slice(0, 2000)), noNul(text)]);
  }

  async recent(limit: number, reason?: string) {
    return this.repo.find({ where: reason ? { reason } : {}, order: { id: 'DESC' }, take: limit });
  }

  private logLine(now: number, line: string): void {
    if (now - this.logWindowStart >= 60_000) {
      if (this.suppressed) this.log.warn(`${this.suppressed} more quarantined messages not logged in the last minute`);
      this.logWindowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged++ < LOG_LINES_PER_MINUTE) this.log.warn(line);
    else this.suppressed++;
  }

  private collect() {
    const prune = ++this.batches % 100 === 0;
    if (!this.pending.length && !prune) return null;
    const rows = this.pending;
    const overflow = this.overflow;
    this.pending = [];
    this.overflow = 0;
    return async (tx: EntityManager) => {
      await bulkInsert(tx, ROWS, rows);
      if (overflow) this.log.warn(`quarantine flood: ${overflow} messages counted but not stored`);
      if (prune) await this.prune(tx);
    };
  }

  private async prune(tx: EntityManager): Promise<void> {
    const keep = this.config.QUARANTINE_MAX_ROWS;
    await tx.query(`delete from quarantine where id <= (select max(id) from quarantine) - ${Number(keep)}`);
  }
}
