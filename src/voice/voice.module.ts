import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from '../alerts/alerts.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { DrillsModule } from '../drills/drills.module.js';
import { LiveModule } from '../live/live.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { VoiceAudioModule } from './voice-audio.module.js';
import { VoiceMessageService } from './voice-message.service.js';
import { VoiceMessagesController, VoiceTemplatesController } from './voice.controller.js';
import { VoiceMessageEntity, VoiceTemplateEntity } from './voice.entities.js';
import { VoiceTemplates } from './voice-templates.service.js';

/** Spoken messages to the public through multimedia sirens, run and judged by the drills machinery. */
@Module({
  imports: [TypeOrmModule.forFeature([VoiceMessageEntity, VoiceTemplateEntity]), VoiceAudioModule, DrillsModule, AlertsModule, SirensModule, LiveModule, AuthModule],
  providers: [VoiceMessageService, VoiceTemplates],
  controllers: [VoiceMessagesController, VoiceTemplatesController],
})
export class VoiceModule {}
