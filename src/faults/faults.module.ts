import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { AnnunciationStats } from './annunciation.service.js';
import { FaultActions } from './fault-actions.service.js';
import { FaultEntity } from './fault.entity.js';
import { FaultService } from './fault.service.js';
import { FaultsController } from './faults.controller.js';
import { IncidentEntity } from './incident.entity.js';
import { IncidentService } from './incident.service.js';
import { IncidentsController } from './incidents.controller.js';
import { Notifier } from './notifier.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FaultEntity, IncidentEntity]), SirensModule, IngestModule, AuthModule],
  providers: [FaultService, FaultActions, IncidentService, AnnunciationStats, Notifier],
  controllers: [FaultsController, IncidentsController],
  exports: [FaultService, IncidentService],
})
export class FaultsModule {}
