import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { CommandsModule } from '../commands/commands.module.js';
import { FaultsModule } from '../faults/faults.module.js';
import { LiveModule } from '../live/live.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { VoiceAudioModule } from '../voice/voice-audio.module.js';
import { DrillRunner } from './drill-runner.service.js';
import { DrillScheduleEntity } from './drill-schedule.entity.js';
import { DrillScheduler } from './drill-scheduler.service.js';
import { DrillSchedulesController } from './drill-schedules.controller.js';
import { DrillEntity, DrillResultEntity } from './drill.entity.js';
import { DrillService } from './drill.service.js';
import { DrillsController } from './drills.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([DrillEntity, DrillResultEntity, DrillScheduleEntity]), SirensModule, CommandsModule, FaultsModule, LiveModule, AuthModule, VoiceAudioModule],
  providers: [DrillRunner, DrillService, DrillScheduler],
  controllers: [DrillsController, DrillSchedulesController],
  exports: [DrillRunner, DrillService],
})
export class DrillsModule {}
