import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SirensModule } from '../sirens/sirens.module.js';
import { IngestService } from './ingest.service.js';
import { MessageRouter } from './message-router.js';
import { CheckpointEntity, QuarantineEntity } from './quarantine.entity.js';
import { QuarantineService } from './quarantine.service.js';
import { QuarantineController } from './quarantine.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([QuarantineEntity, CheckpointEntity]), SirensModule],
  providers: [IngestService, MessageRouter, QuarantineService],
  controllers: [QuarantineController],
  exports: [IngestService, MessageRouter, QuarantineService],
})
export class IngestModule {}
