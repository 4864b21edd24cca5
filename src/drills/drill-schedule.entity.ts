import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';
import type { DrillPlan } from './drill.service.js';

@Entity('drill_schedules')
export class DrillScheduleEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('simple-json') plan: DrillPlan;
  @Column('text') cron: string;
  @Column('text', { name: 'time_zone' }) timeZone: string;
  @Column('bigint', { name: 'next_run_at', nullable: true, transformer: epochMs }) nextRunAt: number | null;
  @Column('bigint', { name: 'last_run_at', nullable: true, transformer: epochMs }) lastRunAt: number | null;
  @Column('text', { name: 'last_drill_id', nullable: true }) lastDrillId: string | null;
  @Column('boolean') enabled: boolean;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
}
