import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { CommandsModule } from '../commands/commands.module.js';
import { FaultsModule } from '../faults/faults.module.js';
import { LiveModule } from '../live/live.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { DrillRunner } from './drill-runner.service.js';
import { DrillEntity, DrillResultEntity } from './drill.entity.js';
import { DrillService } from './drill.service.js';
import { DrillsController } from './drills.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([DrillEntity, DrillResultEntity]), SirensModule, CommandsModule, FaultsModule, LiveModule, AuthModule],
  providers: [DrillRunner, DrillService],
  controllers: [DrillsController],
  exports: [DrillRunner],
})
export class DrillsModule {}
