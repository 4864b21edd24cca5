import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Commands sent to sirens, drills and their per-siren results. */
export class CommandsDrills1764500000004 implements MigrationInterface {
  name = 'CommandsDrills1764500000004';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table commands (
      command_id ${t.text} primary key, siren_id ${t.text} not null, type ${t.text} not null, pattern ${t.text},
      drill_id ${t.text}, alert_id ${t.text}, exercise ${t.bool} not null, issued_at ${t.bigint} not null,
      expires_at ${t.bigint} not null, sent_by ${t.text} not null, acked_at ${t.bigint}, accepted ${t.bool},
      reason ${t.text}, result_at ${t.bigint}, result ${t.text})`);
    await qr.query(`create index commands_drill on commands (drill_id)`);
    await qr.query(`create table drills (
      id ${t.text} primary key, name ${t.text} not null, scope ${t.text} not null, mode ${t.text} not null,
      patterns ${t.text} not null, gap_s ${t.double} not null, ack_timeout_s ${t.double} not null, time_scale ${t.double} not null,
      scheduled_at ${t.bigint}, state ${t.text} not null, created_by ${t.text} not null, started_by ${t.text},
      created_at ${t.bigint} not null, started_at ${t.bigint}, ended_at ${t.bigint}, progress ${t.text})`);
    await qr.query(`create table drill_results (
      drill_id ${t.text} not null, siren_id ${t.text} not null, district_code ${t.text} not null, district_name ${t.text} not null,
      verdict ${t.text}, detail ${t.text}, ack_ms ${t.double}, sound_db ${t.double}, on_seconds ${t.text}, steps ${t.text} not null,
      primary key (drill_id, siren_id))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['drill_results', 'drills', 'commands']) await qr.query(`drop table ${table}`);
  }
}
