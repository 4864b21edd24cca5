import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { CommandService, type CommandRequest } from '../commands/command.service.js';
import { bulkInsert, type BulkTable } from '../database/bulk.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { FaultService } from '../faults/fault.service.js';
import { FleetView } from '../live/fleet-view.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { StreamHub } from '../live/stream-hub.service.js';
import { MqttConnection } from '../mqtt/mqtt-connection.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import { DrillRun, newStep, type DrillStep } from './drill-run.js';
import { DrillEntity, DrillResultEntity, type StepState } from './drill.entity.js';
import { isFailure } from './verdicts.js';
import { Hearing } from './hearing.js';

const TICK_MS = 200;
/**
 * Commands of one step go out over about this long per siren (capped), not in one millisecond; the cap
 * keeps 10 000 sirens' commands within issue 8's 5 s, and ends the sending before a silent test's
 * first results (about 3 s after its command) come back to compete with it.
 */
const SPREAD_MS_PER_SIREN = 0.5;
const MAX_SPREAD_MS = 2_000;
/** Deadlines wait this long after the centre hears again (hearing.ts). */
const HEARING_GRACE_MS = 2_000;
/** Ticks this far apart mean the event loop stood still: the acks queued meanwhile are read first. */
const STALL_MS = 1_000;
/** One statement per batch: TypeORM's upsert of 10 000 results took the CPU that sending the commands needed. */
const RESULTS_TABLE: BulkTable = {
  table: 'drill_results',
  columns: ['drill_id', 'siren_id', 'district_code', 'district_name', 'verdict', 'detail', 'ack_ms', 'sound_db', 'on_seconds', 'steps'],
  pgTypes: ['text', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'text', 'json'],
  onConflict:
    'on conflict (drill_id, siren_id) do update set verdict = excluded.verdict, detail = excluded.detail, ack_ms = excluded.ack_ms, sound_db = excluded.sound_db, on_seconds = excluded.on_seconds, steps = excluded.steps',
};

/**
 * Runs drills: sends each step's commands, judges acks and reports as they come and deadlines as they
 * pass (wall clock), moves to the next pattern, ends with each siren's worst verdict. Its state is saved
 * behind every change, so a restarted service resumes a running drill where it was.
 */
@Injectable()
export class DrillRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('drills');
  private readonly runs = new Map<string, DrillRun>();
  private readonly sending = new Set<string>();
  private readonly streamDirty = new Set<string>();
  private dirtyDrills = new Map<string, DrillEntity>();
  private dirtyResults = new Map<string, DrillResultEntity>();
  private timer: NodeJS.Timeout | null = null;
  private readonly hearing = new Hearing(HEARING_GRACE_MS, STALL_MS);
  readonly changes$ = new Subject<DrillEntity>();

  constructor(
    @InjectRepository(DrillEntity) private readonly drills: Repository<DrillEntity>,
    @InjectRepository(DrillResultEntity) private readonly resultsRepo: Repository<DrillResultEntity>,
    @Inject(CommandService) private readonly commands: CommandService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(FleetView) private readonly fleet: FleetView,
    @Inject(StreamHub) private readonly stream: StreamHub,
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @Inject(MqttConnection) private readonly mqtt: MqttConnection,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.mqtt.connected$.subscribe((up) => this.hearing.connected(up, this.clock.now()));
    this.writeBehind.register('drills', () => this.collect());
    this.metrics.drillsRunning.sample(() => this.runs.size);
    this.commands.acks$.subscribe(({ command, reply, receivedAt }) => {
      const run = command.drillId ? this.runs.get(command.drillId) : undefined;
      const r = run?.onAck(command.commandId, reply, receivedAt);
      if (r) this.touchResult(r);
    });
    this.commands.results$.subscribe(({ command, reply, receivedAt }) => {
      const run = command.drillId ? this.runs.get(command.drillId) : undefined;
      const r = run?.onResult(command.commandId, reply, receivedAt);
      if (r) this.touchResult(r);
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.fleet.provideCount('runningDrills', () => this.runs.size);
    // Before ingest replays its journal (at bootstrap): the acks and reports in it find their drill.
    for (const drill of await this.drills.findBy({ state: 'running' })) {
      const results = await this.resultsRepo.findBy({ drillId: drill.id });
      const run = this.track(drill, results);
      await this.commands.adopt(run.commandIds());
      this.log.log(`resumed drill ${drill.id} (${drill.name}) at step ${run.stepIndex + 1} of ${run.steps.length}`);
    }
  }

  /** Sirens a crash left without the current step's command get it now; the others' answers are awaited. */
  onApplicationBootstrap(): void {
    for (const run of this.runs.values()) if (!run.stepDone()) void this.sendStep(run);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  running(): number {
    return this.runs.size;
  }

  /** Judges who takes part, then sends the first step. */
  start(drill: DrillEntity, sirenIds: string[], actor: string): void {
    const now = this.clock.now();
    Object.assign(drill, { state: 'running', startedAt: now, startedBy: actor, progress: { step: 0, nextStepAt: null } });
    const results = sirenIds.map((id) => {
      const siren = this.registry.require(id);
      const health = this.fleet.health(siren);
      const r: DrillResultEntity = { drillId: drill.id, sirenId: id, districtCode: siren.districtCode, districtName: siren.districtName, verdict: null, detail: null, ackMs: null, soundDb: null, onSeconds: null, steps: [] };
      if (health === 'maintenance') Object.assign(r, { verdict: 'EXCUSED', detail: 'in maintenance at start; no command sent' });
      else if (health === 'offline' || health === 'unknown') Object.assign(r, { verdict: 'FAIL_OFFLINE', detail: `${health} at start; no command sent` });
      return r;
    });
    const run = this.track(drill, results);
    for (const r of run.commanded()) {
      const speaks = this.fleet.capabilities(this.registry.require(r.sirenId)).includes('voice');
      r.steps = run.steps.map((step) => newStep(step, speaks));
    }
    results.forEach((r) => this.touchResult(r));
    this.touchDrill(drill);
    void this.sendStep(run);
  }

  /** Stops a running drill: every siren still sounding for it is told to stop. */
  async abort(drill: DrillEntity, actor: string): Promise<void> {
    const run = this.runs.get(drill.id);
    this.runs.delete(drill.id);
    Object.assign(drill, { state: 'aborted', endedAt: this.clock.now() });
    if (run) {
      this.metrics.drillRuns.inc({ outcome: 'aborted' });
      const sounding = run.commanded().filter((r) => {
        const s = run.current(r);
        return s && (s.pattern !== null || s.voice) && s.ackedAt !== null && s.verdict === null;
      });
      for (const r of run.finish()) this.touchResult(r);
      if (sounding.length) {
        const requests = sounding.map((r) => ({ sirenId: r.sirenId, type: 'cancel' as const, exercise: drill.exercise, drillId: drill.id, alertId: drill.alertId }));
        await this.commands.sendMany(requests, actor);
      }
      this.commands.release(run.commandIds());
    }
    this.touchDrill(drill);
  }

  private track(drill: DrillEntity, results: DrillResultEntity[]): DrillRun {
    const thresholdOf = (id: string) => this.registry.get(id)?.soundThresholdDb ?? null;
    const run = new DrillRun(drill, new Map(results.map((r) => [r.sirenId, r])), thresholdOf, () => this.clock.now(), this.config.DRILL_REPORT_GRACE_S);
    this.runs.set(drill.id, run);
    return run;
  }

  private async sendStep(run: DrillRun): Promise<void> {
    const { drill } = run;
    const step = run.steps[run.stepIndex];
    const targets = run.commanded().filter((r) => run.current(r)?.sentAt === null && !run.current(r)?.skip);
    this.sending.add(drill.id);
    const spread = Math.min(MAX_SPREAD_MS, targets.length * SPREAD_MS_PER_SIREN);
    const requests = targets.map((r) => ({
      sirenId: r.sirenId,
      ...what(run.current(r)!, step),
      exercise: drill.exercise,
      drillId: drill.id,
      alertId: drill.alertId,
      timeScale: drill.timeScale,
      // The command must outlive the ack timeout, within PROTOCOL.md's 30–120 s.
      lifetimeS: Math.min(120, Math.max(30, drill.ackTimeoutS + 10)),
    }));
    try {
      await this.commands.sendMany(requests, drill.startedBy ?? drill.createdBy, spread, (c) => {
        const r = run.results.get(c.sirenId);
        if (!r) return;
        run.sent(r, c.commandId, c.issuedAt);
        this.touchResult(r);
      });
    } catch (e) {
      this.log.error(`drill ${drill.id}: sending step ${run.stepIndex + 1} failed: ${(e as Error).message}`);
    } finally {
      this.sending.delete(drill.id);
    }
  }

  private tick(): void {
    this.streamProgress();
    const now = this.clock.now();
    const hearing = this.hearing.tick(now);
    for (const run of this.runs.values()) {
      if (hearing) for (const r of run.expire(now)) this.touchResult(r);
      if (this.sending.has(run.drill.id) || !run.stepDone()) continue;
      const progress = run.drill.progress ?? { step: 0, nextStepAt: null };
      if (run.stepIndex + 1 >= run.steps.length) {
        this.complete(run);
        continue;
      }
      if (progress.nextStepAt === null) {
        run.drill.progress = { step: progress.step, nextStepAt: now + run.drill.gapS * run.drill.timeScale * 1000 };
        this.touchDrill(run.drill);
      } else if (now >= progress.nextStepAt) {
        run.drill.progress = { step: progress.step + 1, nextStepAt: null };
        this.touchDrill(run.drill);
        void this.sendStep(run);
      }
    }
  }

  private complete(run: DrillRun): void {
    this.runs.delete(run.drill.id);
    for (const r of run.finish()) {
      this.touchResult(r);
      if (r.verdict) this.metrics.drillVerdicts.inc({ verdict: r.verdict });
      if (r.verdict && isFailure(r.verdict)) this.faults.raiseFor(r.sirenId, 'ACTIVATION_FAILED', `drill ${run.drill.name}: ${r.verdict} ${r.detail ?? ''}`.trim());
      else if (r.verdict === 'PASS') this.faults.clearFor(r.sirenId, 'ACTIVATION_FAILED');
    }
    Object.assign(run.drill, { state: 'completed', endedAt: this.clock.now() });
    this.metrics.drillRuns.inc({ outcome: 'completed' });
    this.commands.release(run.commandIds());
    this.touchDrill(run.drill);
    this.log.log(`drill ${run.drill.id} (${run.drill.name}) completed`);
  }

  /** A running drill as it is now (the database follows within a batch). */
  liveDrill(drillId: string): DrillEntity | null {
    return this.runs.get(drillId)?.drill ?? null;
  }

  /** Whether a run for this alert goes on: its activation, or a spoken message to its area. */
  runningFor(alertId: string): boolean {
    for (const run of this.runs.values()) if (run.drill.alertId === alertId) return true;
    return false;
  }

  /** The live state of a running drill's results (fresher than the database). */
  liveResults(drillId: string): DrillResultEntity[] | null {
    const run = this.runs.get(drillId);
    return run ? [...run.results.values()] : null;
  }

  private touchDrill(d: DrillEntity): void {
    this.dirtyDrills.set(d.id, d);
    this.changes$.next(d);
    this.fleet.summaryChanged();
    this.streamDirty.add(d.id);
  }

  /** At most one `drill` event per drill per tick, with its progress. */
  private streamProgress(): void {
    for (const id of this.streamDirty) {
      const run = this.runs.get(id);
      const drill = run?.drill ?? this.dirtyDrills.get(id);
      if (!drill) continue;
      const progress = run ? { total: run.results.size, done: run.decided() } : { total: 0, done: 0 };
      this.stream.publish('drill', { id, name: drill.name, state: drill.state, step: drill.progress ? drill.progress.step + 1 : null, progress });
    }
    this.streamDirty.clear();
  }

  private touchResult(r: DrillResultEntity): void {
    this.dirtyResults.set(`${r.drillId}/${r.sirenId}`, r);
    this.streamDirty.add(r.drillId);
  }

  private collect() {
    if (!this.dirtyDrills.size && !this.dirtyResults.size) return null;
    const drills = [...this.dirtyDrills.values()].map((d) => ({ ...d }));
    const results = [...this.dirtyResults.values()].map((r) => [
      r.drillId, r.sirenId, r.districtCode, r.districtName, r.verdict, r.detail, r.ackMs, r.soundDb,
      r.onSeconds === null ? null : JSON.stringify(r.onSeconds), JSON.stringify(r.steps),
    ]);
    this.dirtyDrills = new Map();
    this.dirtyResults = new Map();
    return async (tx: EntityManager) => {
      if (drills.length) await tx.getRepository(DrillEntity).upsert(drills, ['id']);
      await bulkInsert(tx, RESULTS_TABLE, results);
    };
  }
}

/** The command a siren gets for its step: speak the segment, sound a pattern, or test silently. */
function what(s: StepState, step: DrillStep): Pick<CommandRequest, 'type' | 'pattern' | 'voice'> {
  if (s.voice && step.kind === 'voice') return { type: 'voice', voice: step.voice };
  return s.pattern ? { type: 'activate', pattern: s.pattern } : { type: 'silent-test', pattern: null };
}
