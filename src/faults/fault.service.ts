import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { In, Not, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { MessageRouter } from '../ingest/message-router.js';
import { RegistryService } from '../sirens/registry.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import { STATE_FAULTS, stateFaults } from './fault-conditions.js';
import { clear, newFault, reopen } from './fault-lifecycle.js';
import { isActive, type FaultType } from './fault-types.js';
import { FaultEntity } from './fault.entity.js';

export interface FaultQuery {
  state: 'active' | 'open' | 'all';
  sirenId?: string;
  sirenIds?: ReadonlySet<string>;
}

/** A fault that was raised (new or re-opened) or changed otherwise. */
export interface FaultChange {
  fault: FaultEntity;
  raised: boolean;
}

/**
 * The fault store: raises and clears faults from siren state (thresholds with hysteresis, on-delay,
 * flap hold-off) and from events, keeps every fault that is not closed in memory, and writes changes
 * behind in the ingest batch. Operators' actions go through FaultActions.
 */
@Injectable()
export class FaultService implements OnModuleInit, OnModuleDestroy {
  /** Faults not closed, plus closed ones still inside the flap hold-off, by siren then type. */
  private readonly bySiren = new Map<string, Map<FaultType, FaultEntity>>();
  private readonly byId = new Map<string, FaultEntity>();
  /** Conditions waiting out their on-delay: siren → type → since. */
  private readonly pending = new Map<string, Map<FaultType, number>>();
  private dirty = new Map<string, FaultEntity>();
  private timer: NodeJS.Timeout | null = null;
  readonly changes$ = new Subject<FaultChange>();

  constructor(
    @InjectRepository(FaultEntity) private readonly repo: Repository<FaultEntity>,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(MessageRouter) private readonly router: MessageRouter,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const f of await this.repo.find({ where: { state: Not('closed') } })) this.index(f);
    this.writeBehind.register('faults', () => this.collect());
    this.state.changed$.subscribe((id) => this.reconcile(id));
    this.state.events$.subscribe((e) => {
      if (e.payload.type === 'tamper') this.raiseFor(e.sirenId, 'TAMPER', 'cabinet tamper reported', e.receivedAt);
    });
    this.router.unregistered$.subscribe((u) => {
      if (!this.isActiveFault(u.sirenId, 'UNREGISTERED_DEVICE')) this.raise(u.sirenId, 'UNREGISTERED_DEVICE', u.receivedAt, 'traffic from an id not in the registry');
    });
    this.registry.changed$.subscribe((s) => {
      this.clearFor(s.id, 'UNREGISTERED_DEVICE');
      this.reconcile(s.id);
    });
    this.timer = setInterval(() => this.tick(), 1_000);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Types active on a siren now (shelved ones included: they still count for health). */
  activeTypes(sirenId: string): FaultType[] {
    const m = this.bySiren.get(sirenId);
    if (!m) return [];
    const out: FaultType[] = [];
    for (const f of m.values()) if (isActive(f.state)) out.push(f.type);
    return out;
  }

  /** A fault not closed (memory), else from the database. */
  async find(id: string): Promise<FaultEntity | null> {
    return this.byId.get(id) ?? (await this.repo.findOneBy({ id }));
  }

  /** Every fault that is not closed. */
  open(): FaultEntity[] {
    return [...this.byId.values()].filter((f) => f.state !== 'closed');
  }

  /** Records a change made to an open fault (by an operator action or an incident). */
  update(f: FaultEntity): void {
    f.updatedAt = this.clock.now();
    this.touch(f, false);
  }

  /** Active faults, and faults still waiting for an acknowledgement, across the fleet. */
  counts(): { active: number; unacked: number } {
    let active = 0;
    let unacked = 0;
    for (const f of this.byId.values()) {
      if (isActive(f.state)) active++;
      if (f.state === 'active_unacked' || f.state === 'cleared_unacked') unacked++;
    }
    return { active, unacked };
  }

  /** Open faults from memory; `all` adds closed ones from the database. */
  async list(q: FaultQuery): Promise<FaultEntity[]> {
    const keep = (f: FaultEntity) =>
      (!q.sirenId || f.sirenId === q.sirenId) && (!q.sirenIds || q.sirenIds.has(f.sirenId)) && (q.state !== 'active' || isActive(f.state));
    const open = this.open().filter(keep);
    if (q.state !== 'all') return open.sort((a, b) => b.raisedAt - a.raisedAt);
    const known = [...this.byId.values()];
    const closed = await this.repo.find({
      where: { state: 'closed', ...(q.sirenId ? { sirenId: q.sirenId } : {}), ...(known.length ? { id: Not(In(known.map((f) => f.id))) } : {}) },
      order: { raisedAt: 'DESC' },
      take: 5000,
    });
    const closedInMemory = known.filter((f) => f.state === 'closed');
    return [...open, ...[...closed, ...closedInMemory].filter(keep)].sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /**
   * Faults whose active time [raisedAt, clearedAt) overlaps [from, to): stored ones, with the in-memory
   * record winning (it may be newer than the last batch written).
   */
  async overlapping(from: number, to: number): Promise<FaultEntity[]> {
    const stored = await this.repo
      .createQueryBuilder('f')
      .where('f.raised_at < :to', { to })
      .andWhere('(f.cleared_at is null or f.cleared_at > :from)', { from })
      .getMany();
    const all = new Map(stored.map((f) => [f.id, f]));
    for (const f of this.byId.values()) all.set(f.id, f);
    return [...all.values()].filter((f) => f.raisedAt < to && (f.clearedAt === null || f.clearedAt > from));
  }

  /** Faults that come from outside siren state (activations, tamper): raised and cleared by their owner. */
  raiseFor(sirenId: string, type: FaultType, detail: string, at = this.clock.now()): void {
    if (this.registry.get(sirenId)?.maintenance) return;
    if (!this.isActiveFault(sirenId, type)) this.raise(sirenId, type, at, detail);
  }

  clearFor(sirenId: string, type: FaultType, at = this.clock.now()): void {
    const f = this.bySiren.get(sirenId)?.get(type);
    if (!f || !isActive(f.state)) return;
    clear(f, at);
    this.touch(f, false);
  }

  private isActiveFault(sirenId: string, type: FaultType): boolean {
    const f = this.bySiren.get(sirenId)?.get(type);
    return !!f && isActive(f.state);
  }

  /** Brings a siren's state-derived faults in line with its live state. */
  private reconcile(sirenId: string): void {
    const siren = this.registry.get(sirenId);
    const live = this.state.get(sirenId);
    if (!siren || !live) return;
    const now = this.clock.now();
    const active = new Set(this.activeTypes(sirenId));
    const wanted = stateFaults(live, siren.maintenance, active, this.config);
    for (const type of STATE_FAULTS) {
      const detail = wanted.get(type);
      if (detail === undefined) {
        this.pending.get(sirenId)?.delete(type);
        if (active.has(type)) this.clearFor(sirenId, type, now);
      } else if (!active.has(type) && !siren.maintenance && this.onDelayPassed(sirenId, type, now)) {
        // A siren in maintenance raises no new faults; its open ones stay until they clear.
        this.raise(sirenId, type, now, detail);
      }
    }
  }

  private onDelayPassed(sirenId: string, type: FaultType, now: number): boolean {
    const delay = this.config.FAULT_ON_DELAY[type] ?? 0;
    if (delay <= 0) return true;
    let m = this.pending.get(sirenId);
    if (!m) this.pending.set(sirenId, (m = new Map()));
    const since = m.get(type) ?? now;
    m.set(type, since);
    if (now - since < delay) return false;
    m.delete(type);
    return true;
  }

  private raise(sirenId: string, type: FaultType, now: number, detail: string): void {
    const existing = this.bySiren.get(sirenId)?.get(type);
    const withinHoldoff = existing?.clearedAt != null && now - existing.clearedAt <= this.config.FAULT_FLAP_HOLDOFF_S * 1000;
    let f: FaultEntity;
    if (existing && (existing.state === 'cleared_unacked' || withinHoldoff)) reopen((f = existing), now, detail);
    else this.index((f = newFault(this.ids.next(), sirenId, type, now, detail)));
    this.touch(f, true);
  }

  /** Once a second: on-delays that have run out, shelves that have expired. */
  private tick(): void {
    const now = this.clock.now();
    for (const sirenId of this.pending.keys()) this.reconcile(sirenId);
    for (const f of this.byId.values()) {
      if (f.shelvedUntil !== null && f.shelvedUntil <= now) {
        f.shelvedUntil = null;
        this.update(f);
      }
    }
  }

  private index(f: FaultEntity): void {
    let m = this.bySiren.get(f.sirenId);
    if (!m) this.bySiren.set(f.sirenId, (m = new Map()));
    const old = m.get(f.type);
    if (old && old.id !== f.id) this.byId.delete(old.id);
    m.set(f.type, f);
    this.byId.set(f.id, f);
  }

  private touch(f: FaultEntity, raised: boolean): void {
    this.dirty.set(f.id, { ...f });
    this.changes$.next({ fault: f, raised });
  }

  private collect() {
    this.pruneClosed();
    if (!this.dirty.size) return null;
    const rows = [...this.dirty.values()];
    this.dirty = new Map();
    return async (tx: EntityManager) => {
      for (let i = 0; i < rows.length; i += 500) await tx.getRepository(FaultEntity).upsert(rows.slice(i, i + 500), ['id']);
    };
  }

  /** Closed faults are kept in memory only while a re-raise would still count as a flap. */
  private pruneClosed(): void {
    const horizon = this.clock.now() - this.config.FAULT_FLAP_HOLDOFF_S * 1000;
    for (const [sirenId, m] of this.bySiren) {
      for (const [type, f] of m) {
        if (f.state === 'closed' && (f.clearedAt ?? 0) < horizon) {
          m.delete(type);
          this.byId.delete(f.id);
        }
      }
      if (!m.size) this.bySiren.delete(sirenId);
    }
  }
}
