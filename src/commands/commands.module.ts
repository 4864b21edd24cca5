import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { VoiceAudioModule } from '../voice/voice-audio.module.js';
import { CommandEntity } from './command.entity.js';
import { CommandService } from './command.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([CommandEntity]), SirensModule, AuthModule, VoiceAudioModule],
  providers: [CommandService],
  exports: [CommandService],
})
export class CommandsModule {}
