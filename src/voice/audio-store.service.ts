import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalid, notFound } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { probeAudio } from '../protocol/audio-format.js';
import { VoiceAudioEntity } from './voice.entities.js';

export const MAX_AUDIO_BYTES = 20 * 1024 * 1024;
export const MAX_AUDIO_S = 300;

/** Uploaded audio for spoken messages: checked (format, length, size), stored under DATA_DIR by sha256. */
@Injectable()
export class AudioStore {
  private readonly dir: string;

  constructor(
    @InjectRepository(VoiceAudioEntity) private readonly repo: Repository<VoiceAudioEntity>,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dir = join(config.DATA_DIR, 'voice-audio');
  }

  async save(bytes: Buffer, actor: string): Promise<VoiceAudioEntity> {
    if (bytes.length > MAX_AUDIO_BYTES) throw new DomainError('TOO_LARGE', `audio file: ${bytes.length} bytes, over the limit of ${MAX_AUDIO_BYTES} (20 MB)`);
    if (bytes.length === 0) throw invalid('audio file: empty');
    const probe = probeAudio(bytes);
    if (!probe.ok) throw probe.notAudio ? new DomainError('UNSUPPORTED_MEDIA', `audio file: ${probe.reason}; send WAV, MP3 or Ogg`) : invalid(`audio file: ${probe.reason}`);
    if (probe.durationS > MAX_AUDIO_S) throw invalid(`audio file: plays ${probe.durationS.toFixed(1)} s, longer than the limit of ${MAX_AUDIO_S} s (5 minutes)`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      mkdirSync(this.dir, { recursive: true });
      // Written whole under a temporary name first: a crash never leaves a half file under the real one.
      const tmp = `${path}.${this.ids.next()}.part`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    }
    const row: VoiceAudioEntity = { id: this.ids.next(), sha256, format: probe.format, durationS: probe.durationS, sizeBytes: bytes.length, createdBy: actor, createdAt: this.clock.now() };
    await this.repo.insert(row);
    await this.audit.record(actor, 'voice.audio.upload', row.id, { sha256, format: row.format, durationS: row.durationS, sizeBytes: row.sizeBytes });
    return row;
  }

  async require(id: string): Promise<VoiceAudioEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw notFound(`audio ${id}`);
    return row;
  }

  read(audio: VoiceAudioEntity): Promise<Buffer> {
    return readFile(this.pathOf(audio.sha256));
  }

  private pathOf(sha256: string): string {
    return join(this.dir, sha256);
  }
}
