import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { In, Not, type Repository } from 'typeorm';
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

/**
 * Raises and clears faults from siren state (thresholds with hysteresis, flap hold-off), keeps every
 * fault that is not closed in memory, and writes changes behind in the ingest batch.
 */
@Injectable()
export class FaultService implements OnModuleInit {
  /** Faults not closed, plus closed ones still inside the flap hold-off, by siren then type. */
  private readonly bySiren = new Map<string, Map<FaultType, FaultEntity>>();
  private dirty = new Map<string, FaultEntity>();
  readonly changes$ = new Subject<FaultEntity>();

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
    this.router.unregistered$.subscribe((u) => this.raiseUnregistered(u.sirenId, u.receivedAt));
    this.registry.changed$.subscribe((s) => {
      this.clearType(s.id, 'UNREGISTERED_DEVICE');
      this.reconcile(s.id);
    });
  }

  /** Types active on a siren now (shelved ones included: they still count for health). */
  activeTypes(sirenId: string): FaultType[] {
    const m = this.bySiren.get(sirenId);
    if (!m) return [];
    const out: FaultType[] = [];
    for (const f of m.values()) if (isActive(f.state)) out.push(f.type);
    return out;
  }

  /** Active faults, and faults still waiting for an acknowledgement, across the fleet. */
  counts(): { active: number; unacked: number } {
    let active = 0;
    let unacked = 0;
    for (const m of this.bySiren.values())
      for (const f of m.values()) {
        if (isActive(f.state)) active++;
        if (f.state === 'active_unacked' || f.state === 'cleared_unacked') unacked++;
      }
    return { active, unacked };
  }

  /** Open faults from memory; `all` adds closed ones from the database. */
  async list(q: FaultQuery): Promise<FaultEntity[]> {
    const keep = (f: FaultEntity) =>
      (!q.sirenId || f.sirenId === q.sirenId) && (!q.sirenIds || q.sirenIds.has(f.sirenId)) && (q.state !== 'active' || isActive(f.state));
    const open = [...this.bySiren.values()].flatMap((m) => [...m.values()]).filter((f) => f.state !== 'closed' && keep(f));
    if (q.state !== 'all') return open.sort((a, b) => b.raisedAt - a.raisedAt);
    const openIds = new Set(open.map((f) => f.id));
    const closed = await this.repo.find({
      where: { state: 'closed', ...(q.sirenId ? { sirenId: q.sirenId } : {}), ...(openIds.size ? { id: Not(In([...openIds])) } : {}) },
      order: { raisedAt: 'DESC' },
      take: 5000,
    });
    const closedHere = new Map(closed.map((f) => [f.id, f]));
    for (const m of this.bySiren.values()) for (const f of m.values()) if (f.state === 'closed') closedHere.set(f.id, f);
    return [...open, ...[...closedHere.values()].filter(keep)].sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /** Traffic from an id that is not registered: one fault per id. */
  private raiseUnregistered(sirenId: string, at: number): void {
    const f = this.bySiren.get(sirenId)?.get('UNREGISTERED_DEVICE');
    if (!f || !isActive(f.state)) this.raise(sirenId, 'UNREGISTERED_DEVICE', at, 'traffic from an id not in the registry');
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
      if (detail !== undefined && !active.has(type)) {
        // A siren in maintenance raises no new faults; its open ones stay until they clear.
        if (!siren.maintenance) this.raise(sirenId, type, now, detail);
      } else if (detail === undefined && active.has(type)) this.clearType(sirenId, type, now);
    }
  }

  private raise(sirenId: string, type: FaultType, now: number, detail: string): void {
    const existing = this.bySiren.get(sirenId)?.get(type);
    const withinHoldoff = existing?.clearedAt != null && now - existing.clearedAt <= this.config.FAULT_FLAP_HOLDOFF_S * 1000;
    if (existing && (existing.state === 'cleared_unacked' || withinHoldoff)) reopen(existing, now, detail);
    else this.index(newFault(this.ids.next(), sirenId, type, now, detail));
    this.touch(this.bySiren.get(sirenId)!.get(type)!);
  }

  private clearType(sirenId: string, type: FaultType, now = this.clock.now()): void {
    const f = this.bySiren.get(sirenId)?.get(type);
    if (!f || !isActive(f.state)) return;
    clear(f, now);
    this.touch(f);
  }

  private index(f: FaultEntity): void {
    let m = this.bySiren.get(f.sirenId);
    if (!m) this.bySiren.set(f.sirenId, (m = new Map()));
    m.set(f.type, f);
  }

  private touch(f: FaultEntity): void {
    this.dirty.set(f.id, { ...f });
    this.changes$.next(f);
  }

  private collect() {
    this.pruneClosed();
    if (!this.dirty.size) return null;
    const rows = [...this.dirty.values()];
    this.dirty = new Map();
    return async (tx: import('typeorm').EntityManager) => {
      for (let i = 0; i < rows.length; i += 500) await tx.getRepository(FaultEntity).upsert(rows.slice(i, i + 500), ['id']);
    };
  }

  /** Closed faults are kept in memory only while a re-raise would still count as a flap. */
  private pruneClosed(): void {
    const horizon = this.clock.now() - this.config.FAULT_FLAP_HOLDOFF_S * 1000;
    for (const [sirenId, m] of this.bySiren) {
      for (const [type, f] of m) if (f.state === 'closed' && (f.clearedAt ?? 0) < horizon) m.delete(type);
      if (!m.size) this.bySiren.delete(sirenId);
    }
  }
}
