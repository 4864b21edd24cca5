import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { DrillsModule } from '../drills/drills.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { LiveModule } from '../live/live.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { AlertActivation } from './alert-activation.service.js';
import { AlertEntity } from './alert.entity.js';
import { AlertService } from './alert.service.js';
import { AlertView } from './alert-view.service.js';
import { AlertsController } from './alerts.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([AlertEntity]), IngestModule, SirensModule, LiveModule, DrillsModule, AuthModule],
  providers: [AlertService, AlertView, AlertActivation],
  controllers: [AlertsController],
  exports: [AlertService, AlertView],
})
export class AlertsModule {}
