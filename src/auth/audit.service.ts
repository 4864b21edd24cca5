import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, LessThanOrEqual, MoreThanOrEqual, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { Clock } from '../common/clock.js';
import { iso } from '../common/time.js';
import { bulkInsert } from '../database/bulk.js';
import { AuditEntryEntity } from './auth.entities.js';

export const AUDIT_MAX_LIMIT = 1000;
const AUDIT_ROWS = {
  table: 'audit_log',
  columns: ['at', 'actor', 'action', 'target', 'detail'],
  pgTypes: ['bigint', 'text', 'text', 'text', 'text'],
  onConflict: '',
} as const;

export interface AuditQuery {
  from?: number;
  to?: number;
  actor?: string;
  action?: string;
  limit?: number;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}

/** The append-only record of who did what. Entries are never changed or deleted through the API. */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one entry. Pass `manager` to write it inside the caller's transaction, so the action
   * and its audit entry are committed together or not at all.
   */
  async record(actor: string, action: string, target: string | null, detail?: object, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEntryEntity) : this.entries;
    await repo.insert({
      at: this.clock.now(),
      actor,
      action,
      target,
      detail: detail === undefined ? null : JSON.stringify(detail),
    });
  }

  /** Many entries in a few statements (every command of a drill is audited one by one). */
  async recordMany(entries: { actor: string; action: string; target: string | null; detail?: object }[], manager?: EntityManager): Promise<void> {
    const at = this.clock.now();
    const rows = entries.map((e) => [at, e.actor, e.action, e.target, e.detail === undefined ? null : JSON.stringify(e.detail)]);
    await bulkInsert(manager ?? this.entries.manager, AUDIT_ROWS, rows);
  }

  /** Newest first, at most AUDIT_MAX_LIMIT entries. */
  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const where: FindOptionsWhere<AuditEntryEntity> = {};
    if (q.from !== undefined && q.to !== undefined) where.at = Between(q.from, q.to);
    else if (q.from !== undefined) where.at = MoreThanOrEqual(q.from);
    else if (q.to !== undefined) where.at = LessThanOrEqual(q.to);
    if (q.actor !== undefined) where.actor = q.actor;
    if (q.action !== undefined) where.action = q.action;
    const rows = await this.entries.find({
      where,
      order: { at: 'DESC', id: 'DESC' },
      take: Math.min(q.limit ?? AUDIT_MAX_LIMIT, AUDIT_MAX_LIMIT),
    });
    return rows.map((r) => ({
      at: iso(r.at) as string,
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: r.detail === null ? null : JSON.parse(r.detail),
    }));
  }
}
