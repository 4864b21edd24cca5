import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { AudioStore } from './audio-store.service.js';
import { AudioTokens } from './audio-tokens.service.js';
import { VoiceAudioController } from './voice-audio.controller.js';
import { VoiceAudioEntity } from './voice.entities.js';

/** Audio files and their one-time download tokens: below commands (which put the URL in `voice` commands). */
@Module({
  imports: [TypeOrmModule.forFeature([VoiceAudioEntity]), AuthModule],
  providers: [AudioStore, AudioTokens],
  controllers: [VoiceAudioController],
  exports: [AudioStore, AudioTokens],
})
export class VoiceAudioModule {}
