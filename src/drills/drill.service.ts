import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { z } from 'zod';
import type { Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service.js';
import { assertTimeScaleAllowed } from '../commands/time-scale.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalid, notFound } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { findBuiltinPattern } from '../protocol/patterns.js';
import { RegistryService } from '../sirens/registry.service.js';
import { toHtml } from './drill-report.html.js';
import { AudioStore } from '../voice/audio-store.service.js';
import { voiceContentSchema, voiceSegment } from '../voice/voice-segment.js';
import { DrillRunner } from './drill-runner.service.js';
import { VOICE_STEP } from './drill-run.js';
import { DrillEntity, DrillResultEntity, type DrillScope, type VoiceSegment } from './drill.entity.js';

export const scopeSchema = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ districtCodes: z.array(z.string().min(1).max(32)).min(1).max(1000) }),
  z.strictObject({ sirenIds: z.array(z.string().min(1).max(64)).min(1).max(100_000) }),
]);

export const planSchema = z
  .object({
    name: z.string().min(1).max(200),
    scope: scopeSchema,
    mode: z.enum(['silent', 'audible']),
    patterns: z.array(z.string().min(1).max(64)).max(20).optional(),
    gapS: z.number().min(0).max(3600).default(30),
    scheduledAt: z.iso.datetime({ offset: true }).nullable().optional(),
    ackTimeoutS: z.number().positive().max(600).default(30),
    timeScale: z.number().gt(0).max(1).default(1),
    /** A spoken segment (e.g. the 9·18 announcement), played where `patterns` says "voice". */
    voice: voiceContentSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.mode !== 'audible') return;
    if (!p.patterns?.length) ctx.addIssue({ code: 'custom', path: ['patterns'], message: 'one or more patterns are required for an audible drill' });
    p.patterns?.forEach((name, i) => {
      if (name === VOICE_STEP ? !p.voice : !findBuiltinPattern(name)) ctx.addIssue({ code: 'custom', path: ['patterns', i], message: name === VOICE_STEP ? 'a "voice" step needs the voice segment (field voice)' : `unknown pattern "${name}"` });
    });
    if (p.voice && !p.patterns?.includes(VOICE_STEP)) ctx.addIssue({ code: 'custom', path: ['voice'], message: 'put "voice" in patterns where the segment is to play' });
  });
export type DrillPlan = z.infer<typeof planSchema>;

/** Planning, starting and aborting drills, and reading them back. Engineers only (the controller says so). */
@Injectable()
export class DrillService {
  constructor(
    @InjectRepository(DrillEntity) private readonly drills: Repository<DrillEntity>,
    @InjectRepository(DrillResultEntity) private readonly results: Repository<DrillResultEntity>,
    @Inject(DrillRunner) private readonly runner: DrillRunner,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AudioStore) private readonly audio: AudioStore,
  ) {}

  async plan(p: DrillPlan, actor: string): Promise<DrillEntity> {
    assertTimeScaleAllowed(p.timeScale, this.config.SIMULATION);
    this.resolveScope(p.scope);
    const id = this.ids.next();
    const drill: DrillEntity = {
      id,
      name: p.name,
      scope: p.scope,
      mode: p.mode,
      patterns: p.mode === 'audible' ? p.patterns! : [],
      voice: p.mode === 'audible' && p.voice ? await voiceSegment(this.audio, id, p.voice) : null,
      gapS: p.gapS,
      ackTimeoutS: p.ackTimeoutS,
      timeScale: p.timeScale,
      scheduledAt: p.scheduledAt ? Date.parse(p.scheduledAt) : null,
      state: 'planned',
      createdBy: actor,
      startedBy: null,
      createdAt: this.clock.now(),
      startedAt: null,
      endedAt: null,
      progress: null,
      alertId: null,
      exercise: true,
    };
    await this.drills.insert(drill);
    await this.audit.record(actor, 'drill.plan', drill.id, { name: p.name, scope: p.scope, mode: p.mode, patterns: drill.patterns, timeScale: p.timeScale });
    return drill;
  }

  /**
   * Sounds sirens for an emergency alert and tracks each one as a drill does. Only an Actual alert's
   * activation goes out with `exercise: false`.
   */
  async activateForAlert(a: { alertId: string; name: string; pattern: string; sirenIds: string[]; exercise: boolean }, actor: string): Promise<DrillEntity> {
    if (!findBuiltinPattern(a.pattern)) throw invalid(`pattern: unknown pattern "${a.pattern}"`);
    if (!a.sirenIds.length) throw new DomainError('CONFLICT', 'no siren covers this alert');
    const drill = await this.startRun({ name: a.name, sirenIds: a.sirenIds, patterns: [a.pattern], alertId: a.alertId, exercise: a.exercise }, actor);
    await this.audit.record(actor, 'alert.activate', a.alertId, { activationId: drill.id, pattern: a.pattern, sirens: a.sirenIds.length, exercise: a.exercise });
    return drill;
  }

  /** Plays a spoken message (confirmed by the caller) and judges each siren as a drill step. */
  async runVoice(v: { name: string; sirenIds: string[]; voice: VoiceSegment; alertId: string | null; exercise: boolean; timeScale: number; ackTimeoutS: number }, actor: string): Promise<DrillEntity> {
    assertTimeScaleAllowed(v.timeScale, this.config.SIMULATION);
    return this.startRun({ ...v, patterns: [VOICE_STEP] }, actor);
  }

  /** A run that starts at once (an alert activation, a spoken message): no plan, no gap. */
  private async startRun(
    r: { name: string; sirenIds: string[]; patterns: string[]; alertId: string | null; exercise: boolean; voice?: VoiceSegment; timeScale?: number; ackTimeoutS?: number },
    actor: string,
  ): Promise<DrillEntity> {
    const drill: DrillEntity = {
      id: this.ids.next(),
      name: r.name,
      scope: { sirenIds: r.sirenIds },
      mode: 'audible',
      patterns: r.patterns,
      voice: r.voice ?? null,
      gapS: 0,
      ackTimeoutS: r.ackTimeoutS ?? 30,
      timeScale: r.timeScale ?? 1,
      scheduledAt: null,
      state: 'planned',
      createdBy: actor,
      startedBy: null,
      createdAt: this.clock.now(),
      startedAt: null,
      endedAt: null,
      progress: null,
      alertId: r.alertId,
      exercise: r.exercise,
    };
    await this.drills.insert(drill);
    this.runner.start(drill, r.sirenIds, actor);
    return drill;
  }

  async start(id: string, actor: string): Promise<DrillEntity> {
    const drill = await this.require(id);
    if (drill.state !== 'planned') throw new DomainError('CONFLICT', `drill ${id} is ${drill.state}; only a planned drill can start`);
    const sirenIds = this.resolveScope(drill.scope);
    await this.audit.record(actor, 'drill.start', id, { sirens: sirenIds.length });
    this.runner.start(drill, sirenIds, actor);
    return drill;
  }

  async abort(id: string, actor: string): Promise<DrillEntity> {
    const drill = await this.require(id);
    if (drill.state !== 'running') throw new DomainError('CONFLICT', `drill ${id} is ${drill.state}; only a running drill can be aborted`);
    await this.audit.record(actor, 'drill.abort', id, {});
    await this.runner.abort(drill, actor);
    return drill;
  }

  async require(id: string): Promise<DrillEntity> {
    const d = this.runner.liveDrill(id) ?? (await this.drills.findOneBy({ id }));
    if (!d) throw notFound(`drill ${id}`);
    return d;
  }

  /** The spoken messages sent to an alert's area (runs with a voice step), oldest first. */
  async voiceRunsFor(alertId: string): Promise<DrillEntity[]> {
    const runs = await this.drills.find({ where: { alertId }, order: { createdAt: 'ASC' }, take: 100 });
    return runs.filter((d) => d.patterns.includes(VOICE_STEP)).map((d) => this.runner.liveDrill(d.id) ?? d);
  }

  async list(): Promise<DrillEntity[]> {
    return this.drills.find({ order: { createdAt: 'DESC' }, take: 500 });
  }

  /** Per-siren results: live while running, stored otherwise. */
  async resultsOf(id: string): Promise<DrillResultEntity[]> {
    const rows = this.runner.liveResults(id) ?? (await this.results.findBy({ drillId: id }));
    return [...rows].sort((a, b) => (a.sirenId < b.sirenId ? -1 : 1));
  }

  /** The latest earlier drill over the same scope and mode, for "newly failing / fixed". */
  async previousOf(d: DrillEntity): Promise<DrillEntity | null> {
    const earlier = await this.drills.find({ where: { mode: d.mode, state: 'completed' }, order: { startedAt: 'DESC' }, take: 50 });
    return earlier.find((e) => e.id !== d.id && (e.startedAt ?? 0) < (d.startedAt ?? Infinity) && JSON.stringify(e.scope) === JSON.stringify(d.scope)) ?? null;
  }

  /** The printable report, times on the office's wall clock (REPORT_TIME_ZONE). */
  async htmlReport(id: string): Promise<string> {
    const d = await this.require(id);
    const previous = await this.previousOf(d);
    const before = previous ? { drill: previous, results: await this.resultsOf(previous.id) } : null;
    return toHtml(d, await this.resultsOf(id), before, this.config.REPORT_TIME_ZONE);
  }

  /** The registered sirens a scope names; 400 naming what matches nothing. */
  resolveScope(scope: DrillScope): string[] {
    const all = [...this.registry.all()];
    if ('all' in scope) return all.map((s) => s.id);
    if ('districtCodes' in scope) {
      const codes = new Set(scope.districtCodes);
      const ids = all.filter((s) => codes.has(s.districtCode)).map((s) => s.id);
      if (!ids.length) throw invalid(`scope.districtCodes: no registered siren in ${scope.districtCodes.join(', ')}`);
      return ids;
    }
    const unknown = scope.sirenIds.filter((id) => !this.registry.get(id));
    if (unknown.length) throw invalid(`scope.sirenIds: not registered: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}`);
    return [...new Set(scope.sirenIds)];
  }
}
