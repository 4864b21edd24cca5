import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Repeating drill plans (cron with time zone). */
export class DrillSchedules1764500000005 implements MigrationInterface {
  name = 'DrillSchedules1764500000005';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table drill_schedules (
      id ${t.text} primary key, name ${t.text} not null, plan ${t.text} not null, cron ${t.text} not null, time_zone ${t.text} not null,
      next_run_at ${t.bigint}, last_run_at ${t.bigint}, last_drill_id ${t.text}, enabled ${t.bool} not null,
      created_by ${t.text} not null, created_at ${t.bigint} not null)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`drop table drill_schedules`);
  }
}
