import { Body, Controller, Get, Inject, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators.js';
import { MinRole, Public, type Principal } from '../auth/roles.js';
import { DomainError } from '../common/domain-error.js';
import { BodyLimit } from '../common/body-limit.js';
import { AUDIO_MEDIA_TYPES } from '../protocol/audio-format.js';
import { AudioStore, MAX_AUDIO_BYTES } from './audio-store.service.js';
import { AudioTokens } from './audio-tokens.service.js';

/** Audio for spoken messages: operators upload it; sirens fetch it once with their command's token. */
@ApiTags('voice')
@ApiBearerAuth()
@Controller('api/voice/audio')
export class VoiceAudioController {
  constructor(
    @Inject(AudioStore) private readonly store: AudioStore,
    @Inject(AudioTokens) private readonly tokens: AudioTokens,
  ) {}

  /** The file as the raw body (audio/wav, audio/mpeg, audio/ogg) or as multipart field `file`. */
  @Post()
  @MinRole('operator')
  @BodyLimit(MAX_AUDIO_BYTES + 1024 * 1024, [...Object.values(AUDIO_MEDIA_TYPES), 'audio/x-wav', 'audio/wave', 'application/octet-stream'])
  // A little over the limit, so that the store names the limit rather than multer.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_AUDIO_BYTES + 1024 * 1024 } }))
  async upload(@Body() body: unknown, @UploadedFile() file: { buffer: Buffer } | undefined, @CurrentPrincipal() who: Principal) {
    const bytes = file?.buffer ?? (Buffer.isBuffer(body) ? body : null);
    if (!bytes) throw new DomainError('UNSUPPORTED_MEDIA', 'send the audio as audio/wav, audio/mpeg or audio/ogg, or as multipart field "file"');
    const a = await this.store.save(bytes, who.username);
    return { id: a.id, sha256: a.sha256, format: a.format, durationS: a.durationS, sizeBytes: a.sizeBytes };
  }

  /** For sirens: no Bearer token; the one-time token in the path is the only key. */
  @Get('fetch/:token')
  @Public()
  async fetch(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const { audioId } = this.tokens.redeem(token);
    const audio = await this.store.require(audioId);
    res.setHeader('cache-control', 'no-store');
    res.type(AUDIO_MEDIA_TYPES[audio.format]).send(await this.store.read(audio));
  }
}
