import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DrillsModule } from '../drills/drills.module.js';
import { FaultsModule } from '../faults/faults.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { AvailabilityService } from './availability.service.js';
import { MonthlyReportBuilder } from './monthly-report.js';
import { MonthlyReportEntity } from './monthly-report.entity.js';
import { MonthlyReports } from './monthly-reports.service.js';
import { ReportsController } from './reports.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([MonthlyReportEntity]), SirensModule, FaultsModule, DrillsModule],
  providers: [AvailabilityService, MonthlyReportBuilder, MonthlyReports],
  controllers: [ReportsController],
})
export class ReportsModule {}
