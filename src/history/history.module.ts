import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SirensModule } from '../sirens/sirens.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';
import { HistoryRetention } from './retention.service.js';
import { StatusAggregateEntity } from './status-aggregate.entity.js';
import { StatusPointEntity } from './status-point.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([StatusPointEntity, StatusAggregateEntity]), SirensModule],
  providers: [HistoryService, HistoryRetention],
  controllers: [HistoryController],
})
export class HistoryModule {}
