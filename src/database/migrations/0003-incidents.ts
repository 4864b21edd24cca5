import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Incidents: groups of faults with one likely cause. */
export class Incidents1764500000003 implements MigrationInterface {
  name = 'Incidents1764500000003';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table incidents (
      id ${t.text} primary key, kind ${t.text} not null, district_code ${t.text}, district_name ${t.text},
      opened_at ${t.bigint} not null, closed_at ${t.bigint}, fault_ids ${t.text} not null, siren_count ${t.int} not null,
      acked_at ${t.bigint}, acked_by ${t.text}, updated_at ${t.bigint} not null)`);
    await qr.query(`create index incidents_open on incidents (closed_at)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`drop table incidents`);
  }
}
