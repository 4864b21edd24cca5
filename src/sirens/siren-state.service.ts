import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { bulkInsert } from '../database/bulk.js';
import type { PendingWrite } from '../database/write-behind.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { Ack, ChannelPayload, SirenEvent, Status } from '../protocol/index.js';
import * as rules from './live-siren.js';
import type { Verdict } from './sequence.js';
import { SirenStateEntity } from './siren.entity.js';
import { SweepSchedule } from './sweep-schedule.js';

export interface AppliedStatus {
  sirenId: string;
  status: Status;
  receivedAt: number;
}
export interface AppliedMessage<T> {
  sirenId: string;
  payload: T;
  receivedAt: number;
}
export interface ApplyOutcome {
  verdict: Verdict;
  newlyLost: number;
}

const RECENT_EVENTS = 20;
const STATE_TABLE = {
  table: 'siren_state',
  columns: ['siren_id', 'state', 'updated_at'],
  pgTypes: ['text', 'json', 'bigint'],
  onConflict: 'on conflict (siren_id) do update set state = excluded.state, updated_at = excluded.updated_at',
} as const;

/**
 * Live state of every registered siren, fed by ingest in receive order. Applies PROTOCOL.md's
 * ordering and liveness rules, publishes what changed, and writes itself behind in batches.
 */
@Injectable()
export class SirenStateService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly live = new Map<string, rules.LiveSiren>();
  private readonly sweepSchedule = new SweepSchedule();
  /** The last few events per siren, for the detail view (not persisted: history keeps the record). */
  private readonly recent = new Map<string, { receivedAt: number; event: SirenEvent }[]>();
  /** Sirens changed since the current snapshot round began. */
  private dirty = new Set<string>();
  /** Sirens of the snapshot round being written (beginSnapshotRound). */
  private round: string[] = [];
  private connected = false;
  private connectedSince = 0;
  private sweepTimer: NodeJS.Timeout | null = null;

  /** A siren's live state changed (its id). */
  readonly changed$ = new Subject<string>();
  /**
   * A replayed message moved a siren's live state at start-up (its id): what shows it must not keep an
   * older picture, but nothing is announced (its effects are in the database already).
   */
  readonly replayed$ = new Subject<string>();
  readonly statusApplied$ = new Subject<AppliedStatus>();
  readonly events$ = new Subject<AppliedMessage<SirenEvent>>();
  readonly acks$ = new Subject<AppliedMessage<Ack>>();
  /** seq newly counted as lost, per siren (comms quality). */
  readonly lost$ = new Subject<{ sirenId: string; count: number }>();

  constructor(
    @InjectRepository(SirenStateEntity) private readonly repo: Repository<SirenStateEntity>,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const row of await this.repo.find()) {
      const s = JSON.parse(row.state) as rules.LiveSiren;
      this.live.set(row.sirenId, s);
      this.schedule(row.sirenId, s);
    }
  }

  /** After anything that may move when the sweep must next look at the siren. */
  private schedule(id: string, s: rules.LiveSiren): void {
    this.sweepSchedule.set(id, s, rules.sweepDueAt(s, this.connectedSince, this.config.OFFLINE_MULTIPLE));
  }

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => this.sweep(), this.config.OFFLINE_SWEEP_S * 1000);
  }

  onModuleDestroy(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** A siren's live state: one object for the siren's whole life in this process, changed in place (FleetView holds it). */
  get(id: string): Readonly<rules.LiveSiren> | undefined {
    return this.live.get(id);
  }

  /**
   * Applies one validated message of a registered siren. `quiet`: a replay whose effects the database
   * already holds; the state moves, nothing is published.
   */
  apply(sirenId: string, m: ChannelPayload, receivedAt: number, retained: boolean, { quiet = false } = {}): ApplyOutcome {
    const loud = !quiet;
    let s = this.live.get(sirenId);
    if (!s) this.live.set(sirenId, (s = rules.newLiveSiren(this.config.DEFAULT_INTERVAL_S)));
    const ctx = { now: receivedAt, retained, connected: this.connected, willHoldMs: this.config.WILL_HOLD_S * 1000 };
    let outcome: ApplyOutcome;
    switch (m.channel) {
      case 'availability':
        outcome = { verdict: m.payload.online ? rules.applyBirth(s, m.payload, ctx) : rules.applyWill(s, m.payload, ctx), newlyLost: 0 };
        break;
      case 'status':
        outcome = rules.applyStatus(s, m.payload, receivedAt);
        if (loud && outcome.verdict === 'applied') this.statusApplied$.next({ sirenId, status: m.payload, receivedAt });
        break;
      case 'event':
        outcome = rules.applyEventOrAck(s, m.payload, receivedAt);
        if (outcome.verdict === 'applied') {
          this.remember(sirenId, m.payload, receivedAt);
          if (loud) this.events$.next({ sirenId, payload: m.payload, receivedAt });
        }
        break;
      case 'ack':
        outcome = rules.applyEventOrAck(s, m.payload, receivedAt);
        if (loud && outcome.verdict === 'applied') this.acks$.next({ sirenId, payload: m.payload, receivedAt });
        break;
    }
    if (loud && outcome.newlyLost) this.lost$.next({ sirenId, count: outcome.newlyLost });
    if (outcome.verdict === 'applied') {
      this.schedule(sirenId, s);
      if (loud) this.touch(sirenId);
      else {
        this.dirty.add(sirenId);
        this.replayed$.next(sirenId);
      }
    }
    return outcome;
  }

  recentEvents(id: string): { receivedAt: string; event: SirenEvent }[] {
    return (this.recent.get(id) ?? []).map((e) => ({ receivedAt: new Date(e.receivedAt).toISOString(), event: e.event }));
  }

  private remember(id: string, event: SirenEvent, receivedAt: number): void {
    const list = this.recent.get(id) ?? [];
    list.unshift({ receivedAt, event });
    this.recent.set(id, list.slice(0, RECENT_EVENTS));
  }

  /** The centre's own broker connection went up or down (PROTOCOL.md "Blind centre"). */
  setConnected(up: boolean): void {
    if (up === this.connected) return;
    this.connected = up;
    if (up) this.connectedSince = this.clock.now();
    else {
      for (const [id, s] of this.live) {
        if (!s.pendingWill) continue;
        rules.holdWillsForReconnect(s);
        this.schedule(id, s);
      }
    }
  }

  /** Offline by due will or by silence; judged only while the centre is connected. */
  sweep(): void {
    if (!this.connected) return;
    const endTimer = this.metrics.sweepSeconds.startTimer();
    const ctx = { now: this.clock.now(), connectedSince: this.connectedSince, offlineMultiple: this.config.OFFLINE_MULTIPLE };
    this.sweepSchedule.visitDue(ctx.now, (id, s) => {
      // A will that waited for the reconnect gets its time now: that, too, is worth saving.
      const willWasWaiting = s.pendingWill?.applyAt === null;
      const wentOffline = rules.sweepLiveness(s, ctx);
      if (wentOffline || (willWasWaiting && s.pendingWill !== null)) this.touch(id);
      return rules.sweepDueAt(s, ctx.connectedSince, ctx.offlineMultiple);
    });
    endTimer();
    this.metrics.sweepSirens.set(this.live.size);
  }

  private touch(id: string): void {
    this.dirty.add(id);
    this.changed$.next(id);
  }

  /**
   * Starts a snapshot round with every siren changed since the last round began (none while a round is
   * still being written). Ingest writes the round a slice per batch, then stores the journal offset at
   * which the round began: replay starts there.
   */
  beginSnapshotRound(): void {
    if (this.round.length) return;
    this.round = [...this.dirty];
    this.dirty = new Set();
  }

  /** Some siren changed since the current snapshot round began. */
  get changedSinceRound(): boolean {
    return this.dirty.size > 0;
  }

  /** Sirens of the snapshot round not written yet. */
  get snapshotRoundLeft(): number {
    return this.round.length;
  }

  /**
   * Up to `max` sirens of the round, serialised now. Their rows go in the batch whose checkpoint covers
   * every message applied so far, so a row may be newer than the round's offset (replaying a message it
   * already holds is a no-op) but never holds an effect that did not commit.
   */
  snapshotSlice(max: number): PendingWrite | null {
    if (!this.round.length) return null;
    const ids = this.round.length <= max ? this.round : this.round.splice(this.round.length - max);
    if (ids === this.round) this.round = [];
    const now = this.clock.now();
    const rows = ids.map((id) => [id, JSON.stringify(this.live.get(id)), now]);
    return (tx: Parameters<typeof bulkInsert>[0]) => bulkInsert(tx, STATE_TABLE, rows);
  }

  /** At shutdown: every siren of the round and every one changed since, serialised now. */
  snapshotAll(): PendingWrite | null {
    this.round = [...new Set([...this.round, ...this.dirty])];
    this.dirty = new Set();
    return this.snapshotSlice(Infinity);
  }
}
