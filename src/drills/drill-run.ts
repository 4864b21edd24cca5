import { findBuiltinPattern, type SignalPattern } from '../protocol/patterns.js';
import type { Ack, SirenEvent } from '../protocol/payloads.js';
import type { DrillEntity, DrillResultEntity, StepState, VoiceSegment } from './drill.entity.js';
import { DEFAULT_SOUND_THRESHOLD_DB, judgeActivation, judgeSilentTest, judgeVoice, reportWindowS, voiceWindowS, worst, type Verdict } from './verdicts.js';

/** The name that stands for the drill's voice segment in its list of patterns. */
export const VOICE_STEP = 'voice';

export type DrillStep = { kind: 'pattern'; pattern: SignalPattern } | { kind: 'test' } | { kind: 'voice'; voice: VoiceSegment };

/** The steps of a drill: each pattern (or its voice segment) in order, or the one silent test. */
export function drillSteps(d: Pick<DrillEntity, 'mode' | 'patterns' | 'voice'>): DrillStep[] {
  if (d.mode === 'silent') return [{ kind: 'test' }];
  return d.patterns.map((p) => (p === VOICE_STEP ? { kind: 'voice', voice: d.voice! } : { kind: 'pattern', pattern: findBuiltinPattern(p)! }));
}

/** A siren's state for one step; in a voice step it speaks if it `speaks`, else sounds the tone or sits it out. */
export function newStep(step: DrillStep, speaks: boolean): StepState {
  const blank = { commandId: null, sentAt: null, ackedAt: null, verdict: null, decidedAt: null, detail: '', soundDb: null, onSeconds: null };
  if (step.kind === 'pattern') return { ...blank, pattern: step.pattern.name };
  if (step.kind === 'test') return { ...blank, pattern: null };
  if (speaks) return { ...blank, pattern: null, voice: true };
  return step.voice.tonePattern ? { ...blank, pattern: step.voice.tonePattern } : { ...blank, pattern: null, skip: true };
}

/**
 * One running drill in memory: which siren is at which step and what it has answered. Pure state
 * transitions; the runner does the sending, the timing and the saving.
 */
export class DrillRun {
  readonly steps: DrillStep[];
  private readonly byCommand = new Map<string, DrillResultEntity>();
  /** Fixed for the run; kept because every tick walks it (10 000 sirens: a copy and a filter each time). */
  private readonly taking: readonly DrillResultEntity[];

  constructor(
    readonly drill: DrillEntity,
    readonly results: Map<string, DrillResultEntity>,
    private readonly thresholdOf: (sirenId: string) => number | null,
    private readonly now: () => number,
    /** DRILL_REPORT_GRACE_S: time to report after what a step plays. */
    private readonly reportGraceS: number,
  ) {
    this.steps = drillSteps(drill);
    for (const r of results.values()) for (const s of r.steps) if (s.commandId) this.byCommand.set(s.commandId, r);
    // Judged at the start (excused, offline) and never given steps, or given steps: stays so for the run.
    this.taking = [...results.values()].filter((r) => r.verdict === null || r.steps.length > 0);
  }

  get stepIndex(): number {
    return this.drill.progress?.step ?? 0;
  }

  /** Sirens that take part in the steps (not excused, not offline at the start). */
  commanded(): readonly DrillResultEntity[] {
    return this.taking;
  }

  /** Sirens with a verdict: final, or for the current step. */
  decided(): number {
    let n = 0;
    for (const r of this.results.values()) if (r.verdict !== null || this.current(r)?.verdict != null) n++;
    return n;
  }

  current(r: DrillResultEntity): StepState | undefined {
    return r.steps[this.stepIndex];
  }

  sent(r: DrillResultEntity, commandId: string, at: number): void {
    const s = this.current(r);
    if (!s) return;
    Object.assign(s, { commandId, sentAt: at });
    this.byCommand.set(commandId, r);
  }

  /** Returns the result whose step changed, if the ack was for this drill's current step. */
  onAck(commandId: string, ack: Ack, at: number): DrillResultEntity | null {
    const { r, s } = this.stepOf(commandId);
    if (!r || !s || s.verdict !== null || s.ackedAt !== null) return null;
    s.ackedAt = at;
    if (!ack.accepted) this.judge(s, 'FAIL_REJECTED', `${label(s)}: rejected (${ack.reason ?? 'no reason'})`);
    return r;
  }

  onResult(commandId: string, e: SirenEvent, at: number): DrillResultEntity | null {
    const { r, s } = this.stepOf(commandId);
    if (!r || !s || s.verdict !== null) return null;
    if (s.ackedAt === null) s.ackedAt = at;
    if (e.type === 'activation.finished') {
      const pattern = s.pattern ? findBuiltinPattern(s.pattern) : undefined;
      if (!pattern) return null;
      const v = judgeActivation(pattern, e, this.thresholdOf(r.sirenId) ?? DEFAULT_SOUND_THRESHOLD_DB);
      Object.assign(s, { soundDb: e.soundDb, onSeconds: e.onSeconds });
      this.judge(s, v.verdict, v.detail);
      return r;
    }
    if (e.type === 'voice.finished' && s.voice) {
      const v = judgeVoice(e, this.thresholdOf(r.sirenId) ?? DEFAULT_SOUND_THRESHOLD_DB);
      s.soundDb = e.soundDb ?? null;
      this.judge(s, v.verdict, v.detail);
      return r;
    }
    if (e.type === 'test.result') {
      const v = judgeSilentTest(e);
      this.judge(s, v.verdict, v.detail);
      return r;
    }
    return null;
  }

  /** Judges the steps whose time is up; returns the results that changed. */
  expire(now: number): DrillResultEntity[] {
    const changed: DrillResultEntity[] = [];
    for (const r of this.commanded()) {
      const s = this.current(r);
      if (!s || s.verdict !== null || s.sentAt === null) continue;
      if (s.ackedAt === null && now - s.sentAt > this.drill.ackTimeoutS * 1000) {
        this.judge(s, 'FAIL_NO_ACK', `${label(s)}: no ack within ${this.drill.ackTimeoutS} s`);
        changed.push(r);
      } else if (s.ackedAt !== null && now - s.ackedAt > this.windowS(s) * 1000) {
        this.judge(s, 'FAIL_NO_REPORT', `${label(s)}: no report within ${this.windowS(s).toFixed(1)} s of the ack`);
        changed.push(r);
      }
    }
    return changed;
  }

  /** Every commanded siren has a verdict for the current step. */
  stepDone(): boolean {
    return this.commanded().every((r) => {
      const s = this.current(r);
      return s !== undefined && (s.verdict !== null || s.skip === true);
    });
  }

  /** Final verdicts: each siren's worst step; returns the sirens judged now. */
  finish(): DrillResultEntity[] {
    const judged: DrillResultEntity[] = [];
    for (const r of this.commanded()) {
      const steps = r.steps.filter((s) => s.verdict !== null);
      if (!steps.length) continue;
      const w = worst(steps.map((s) => ({ verdict: s.verdict as Verdict, detail: s.detail })));
      const first = r.steps[0];
      const audible = steps.filter((s) => s.soundDb !== null);
      Object.assign(r, {
        verdict: w.verdict,
        detail: w.detail,
        ackMs: first?.ackedAt != null && first.sentAt != null ? first.ackedAt - first.sentAt : null,
        soundDb: audible.length ? Math.min(...audible.map((s) => s.soundDb!)) : null,
        onSeconds: steps.find((s) => s.detail === w.detail && s.onSeconds)?.onSeconds ?? steps.findLast((s) => s.onSeconds)?.onSeconds ?? null,
      });
      judged.push(r);
    }
    return judged;
  }

  commandIds(): string[] {
    return [...this.byCommand.keys()];
  }

  /** Seconds after the ack within which the siren must report its step. */
  private windowS(s: StepState): number {
    const step = this.steps[this.stepIndex];
    if (s.voice && step?.kind === 'voice') return voiceWindowS(step.voice.durationS, step.voice.repeat, this.drill.timeScale, this.reportGraceS);
    return reportWindowS(s.pattern ? (findBuiltinPattern(s.pattern) ?? null) : null, this.drill.timeScale, this.reportGraceS);
  }

  private stepOf(commandId: string): { r?: DrillResultEntity; s?: StepState } {
    const r = this.byCommand.get(commandId);
    const s = r?.steps.find((st) => st.commandId === commandId);
    return { r, s: s === this.current(r!) ? s : undefined };
  }

  private judge(s: StepState, verdict: Verdict, detail: string): void {
    s.verdict = verdict;
    s.detail = detail;
    s.decidedAt = this.now();
  }
}

const label = (s: StepState) => (s.voice ? 'voice message' : (s.pattern ?? 'silent test'));
