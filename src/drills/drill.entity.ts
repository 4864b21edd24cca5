import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';
import type { Verdict } from './verdicts.js';

export type DrillScope = { all: true } | { districtCodes: string[] } | { sirenIds: string[] };
/** A spoken message as a run plays it; sirens without `voice` sound `tonePattern` instead, or sit it out. */
export interface VoiceSegment {
  messageId: string;
  language: string;
  text: string | null;
  audio: { id: string; sha256: string } | null;
  /** Seconds one playing lasts (the audio file's length, or an estimate for synthesised text). */
  durationS: number;
  repeat: number;
  tonePattern: string | null;
}
export type DrillState = 'planned' | 'running' | 'completed' | 'aborted';

@Entity('drills')
export class DrillEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('simple-json') scope: DrillScope;
  @Column('text') mode: 'silent' | 'audible';
  @Column('simple-json') patterns: string[];
  @Column('double precision', { name: 'gap_s' }) gapS: number;
  @Column('double precision', { name: 'ack_timeout_s' }) ackTimeoutS: number;
  @Column('double precision', { name: 'time_scale' }) timeScale: number;
  @Column('bigint', { name: 'scheduled_at', nullable: true, transformer: epochMs }) scheduledAt: number | null;
  @Column('text') state: DrillState;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('text', { name: 'started_by', nullable: true }) startedBy: string | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'started_at', nullable: true, transformer: epochMs }) startedAt: number | null;
  @Column('bigint', { name: 'ended_at', nullable: true, transformer: epochMs }) endedAt: number | null;
  /** Set when this run is an activation for an emergency alert. */
  @Column('text', { name: 'alert_id', nullable: true }) alertId: string | null;
  /** Drills and non-Actual alerts are exercises; only an activation of an Actual alert is not. */
  @Column('boolean') exercise: boolean;
  /** The spoken segment that the step named VOICE_STEP in `patterns` plays (a voice message, or a drill's announcement). */
  @Column('simple-json', { nullable: true }) voice: VoiceSegment | null;
  /** Where a running drill is: the step in progress and when its gap ends (for resuming). */
  @Column('simple-json', { nullable: true }) progress: { step: number; nextStepAt: number | null } | null;
}

/** One pattern (or the silent test) for one siren. */
export interface StepState {
  pattern: string | null;
  commandId: string | null;
  sentAt: number | null;
  ackedAt: number | null;
  verdict: Verdict | null;
  /** When the service decided `verdict` (absent in steps saved before it was recorded). */
  decidedAt?: number | null;
  detail: string;
  soundDb: number | null;
  onSeconds: number[] | null;
  /** This siren plays the step's voice segment. */
  voice?: boolean;
  /** No command in this step: the siren can neither speak nor sound a substitute tone. */
  skip?: boolean;
}

@Entity('drill_results')
export class DrillResultEntity {
  @PrimaryColumn('text', { name: 'drill_id' }) drillId: string;
  @PrimaryColumn('text', { name: 'siren_id' }) sirenId: string;
  @Column('text', { name: 'district_code' }) districtCode: string;
  @Column('text', { name: 'district_name' }) districtName: string;
  /** Final verdict; set at once for EXCUSED / FAIL_OFFLINE, else when every step is judged. */
  @Column('text', { nullable: true }) verdict: Verdict | null;
  @Column('text', { nullable: true }) detail: string | null;
  @Column('double precision', { name: 'ack_ms', nullable: true }) ackMs: number | null;
  @Column('double precision', { name: 'sound_db', nullable: true }) soundDb: number | null;
  @Column('simple-json', { name: 'on_seconds', nullable: true }) onSeconds: number[] | null;
  @Column('simple-json') steps: StepState[];
}
