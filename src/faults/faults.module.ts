import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestModule } from '../ingest/ingest.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { FaultEntity } from './fault.entity.js';
import { FaultService } from './fault.service.js';
import { FaultsController } from './faults.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([FaultEntity]), SirensModule, IngestModule],
  providers: [FaultService],
  controllers: [FaultsController],
  exports: [FaultService],
})
export class FaultsModule {}
