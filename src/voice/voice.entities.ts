import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';
import type { DrillScope } from '../drills/drill.entity.js';

/** An uploaded audio file; the bytes are in DATA_DIR/voice-audio, named by their sha256. */
@Entity('voice_audio')
export class VoiceAudioEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') sha256: string;
  @Column('text') format: 'wav' | 'mp3' | 'ogg';
  @Column('double precision', { name: 'duration_s' }) durationS: number;
  /** bigint read back as a number, as the epoch-millisecond columns are. */
  @Column('bigint', { name: 'size_bytes', transformer: epochMs }) sizeBytes: number;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
}

export type VoiceScope = DrillScope | { alertId: string };

/** A spoken message: a draft until an operator confirms it; then a run (a drill with a voice step) tracks it. */
@Entity('voice_messages')
export class VoiceMessageEntity {
  @PrimaryColumn('text') id: string;
  @Column('simple-json') scope: VoiceScope;
  @Column('text') language: string;
  @Column('text', { nullable: true }) text: string | null;
  @Column('text', { name: 'audio_id', nullable: true }) audioId: string | null;
  @Column('integer') repeat: number;
  @Column('text', { name: 'tone_pattern', nullable: true }) tonePattern: string | null;
  @Column('boolean') exercise: boolean;
  @Column('double precision', { name: 'time_scale' }) timeScale: number;
  @Column('double precision', { name: 'ack_timeout_s' }) ackTimeoutS: number;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('text', { name: 'sent_by', nullable: true }) sentBy: string | null;
  @Column('bigint', { name: 'sent_at', nullable: true, transformer: epochMs }) sentAt: number | null;
  /** The drill run that sends and judges it. */
  @Column('text', { name: 'run_id', nullable: true }) runId: string | null;
  /** Sirens in scope that can neither speak nor sound the tone: no command. */
  @Column('simple-json', { nullable: true }) skipped: string[] | null;
}

/** Text operators fill in quickly: `{district}` and `{place}` are replaced in the console. */
@Entity('voice_templates')
export class VoiceTemplateEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'text_zh' }) textZh: string;
  @Column('text', { name: 'text_en' }) textEn: string;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
}
