import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { z } from 'zod';
import type { Repository } from 'typeorm';
import { AlertService } from '../alerts/alert.service.js';
import { AlertView } from '../alerts/alert-view.service.js';
import { AuditService } from '../auth/audit.service.js';
import { assertTimeScaleAllowed } from '../commands/time-scale.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalid, notFound } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { iso } from '../common/time.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { DrillService, scopeSchema } from '../drills/drill.service.js';
import type { DrillEntity, DrillResultEntity } from '../drills/drill.entity.js';
import { isFailure } from '../drills/verdicts.js';
import { FleetView } from '../live/fleet-view.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import { AudioStore } from './audio-store.service.js';
import { checkVoiceContent, voiceContentShape, voiceSegment } from './voice-segment.js';
import { VoiceMessageEntity, type VoiceScope } from './voice.entities.js';

export const composeSchema = z
  .object({
    ...voiceContentShape,
    scope: z.union([scopeSchema, z.strictObject({ alertId: z.string().min(1).max(64) })]),
    /** A message that is not for real (a rehearsal); an alert's message follows the alert's status. */
    exercise: z.boolean().optional(),
    ackTimeoutS: z.number().positive().max(600).default(30),
    timeScale: z.number().gt(0).max(1).default(1),
  })
  .superRefine(checkVoiceContent);
export type Compose = z.infer<typeof composeSchema>;

/** Spoken messages: composed as drafts, sent on confirmation as a run with one voice step, read back with outcomes. */
@Injectable()
export class VoiceMessageService {
  constructor(
    @InjectRepository(VoiceMessageEntity) private readonly repo: Repository<VoiceMessageEntity>,
    @Inject(DrillService) private readonly drills: DrillService,
    @Inject(AlertService) private readonly alerts: AlertService,
    @Inject(AlertView) private readonly alertViews: AlertView,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(FleetView) private readonly fleet: FleetView,
    @Inject(AudioStore) private readonly audio: AudioStore,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose(c: Compose, actor: string): Promise<VoiceMessageEntity> {
    assertTimeScaleAllowed(c.timeScale, this.config.SIMULATION);
    if (c.audioId) await this.audio.require(c.audioId).catch(() => Promise.reject(invalid(`audioId: no audio ${c.audioId}`)));
    await this.sirensIn(c.scope);
    const m: VoiceMessageEntity = {
      id: this.ids.next(),
      scope: c.scope,
      language: c.language,
      text: c.text ?? null,
      audioId: c.audioId ?? null,
      repeat: c.repeat,
      tonePattern: c.tonePattern,
      exercise: c.exercise ?? false,
      timeScale: c.timeScale,
      ackTimeoutS: c.ackTimeoutS,
      createdBy: actor,
      createdAt: this.clock.now(),
      sentBy: null,
      sentAt: null,
      runId: null,
      skipped: null,
    };
    await this.repo.insert(m);
    await this.audit.record(actor, 'voice.compose', m.id, { scope: m.scope, language: m.language, text: m.text, audioId: m.audioId, repeat: m.repeat, tonePattern: m.tonePattern });
    return m;
  }

  /** The confirmation: multimedia sirens get the message, the others the tone (if any) or nothing. */
  async send(id: string, actor: string): Promise<VoiceMessageEntity> {
    const m = await this.require(id);
    if (m.runId) throw new DomainError('CONFLICT', `message ${id} was sent already`);
    const { sirenIds, alertId, exercise } = await this.sirensIn(m.scope, m.exercise);
    const speaks = (sid: string) => this.fleet.capabilities(this.registry.require(sid)).includes('voice');
    const skipped = m.tonePattern ? [] : sirenIds.filter((sid) => !speaks(sid));
    const commanded = sirenIds.filter((sid) => !skipped.includes(sid));
    if (!commanded.length) throw new DomainError('CONFLICT', 'no siren in scope can play a spoken message (none has the voice capability) and no tone was chosen');
    const voice = await voiceSegment(this.audio, m.id, m);
    const label = (m.text ?? 'audio').slice(0, 40);
    const run = await this.drills.runVoice({ name: `voice: ${label}`, sirenIds: commanded, voice, alertId, exercise, timeScale: m.timeScale, ackTimeoutS: m.ackTimeoutS }, actor);
    Object.assign(m, { runId: run.id, sentBy: actor, sentAt: this.clock.now(), skipped });
    await this.repo.update({ id }, { runId: m.runId, sentBy: m.sentBy, sentAt: m.sentAt, skipped });
    await this.audit.record(actor, 'voice.send', id, { runId: run.id, sirens: commanded.length, skipped: skipped.length, exercise, alertId });
    return m;
  }

  async require(id: string): Promise<VoiceMessageEntity> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw notFound(`voice message ${id}`);
    return m;
  }

  async list(): Promise<VoiceMessageEntity[]> {
    return this.repo.find({ order: { createdAt: 'DESC' }, take: 50 });
  }

  /** The message with each siren's outcome: live while its run goes on. */
  async view(m: VoiceMessageEntity) {
    const run: DrillEntity | null = m.runId ? await this.drills.require(m.runId) : null;
    const results = run ? (await this.drills.resultsOf(run.id)).map(outcome) : [];
    const judged = results.filter((r) => r.verdict !== null);
    return {
      id: m.id,
      state: !run ? 'draft' : run.state === 'running' ? 'sending' : 'completed',
      scope: m.scope,
      language: m.language,
      text: m.text,
      audioId: m.audioId,
      repeat: m.repeat,
      tonePattern: m.tonePattern,
      exercise: run?.exercise ?? m.exercise,
      createdBy: m.createdBy,
      createdAt: iso(m.createdAt),
      sentBy: m.sentBy,
      sentAt: iso(m.sentAt),
      runId: m.runId,
      results,
      skipped: m.skipped ?? [],
      summary: { pass: judged.filter((r) => r.verdict === 'PASS').length, fail: judged.filter((r) => isFailure(r.verdict!)).length, pending: results.length - judged.length },
    };
  }

  private async sirensIn(scope: VoiceScope, exercise = false): Promise<{ sirenIds: string[]; alertId: string | null; exercise: boolean }> {
    if (!('alertId' in scope)) return { sirenIds: this.drills.resolveScope(scope), alertId: null, exercise };
    const alert = await this.alerts.require(scope.alertId).catch(() => Promise.reject(invalid(`scope.alertId: no alert ${scope.alertId}`)));
    if (alert.state !== 'active') throw new DomainError('CONFLICT', `alert ${alert.id} is ${alert.state}; only an active alert's area can be addressed`);
    const sirenIds = this.alertViews.covered(alert);
    if (!sirenIds.length) throw invalid(`scope.alertId: no siren covers alert ${alert.id}`);
    // Only a real (Actual) alert's message goes out as the real thing.
    return { sirenIds, alertId: alert.id, exercise: exercise || alert.status !== 'Actual' };
  }
}

/** A siren's outcome: its final verdict, or its step's as soon as that is judged. */
function outcome(r: DrillResultEntity) {
  const step = r.steps[0];
  return {
    sirenId: r.sirenId,
    districtCode: r.districtCode,
    districtName: r.districtName,
    via: step?.voice ? 'voice' : step ? 'tone' : null,
    verdict: r.verdict ?? step?.verdict ?? null,
    detail: r.detail ?? step?.detail ?? '',
    ackMs: step?.ackedAt != null && step.sentAt != null ? step.ackedAt - step.sentAt : null,
    soundDb: r.soundDb ?? step?.soundDb ?? null,
  };
}
