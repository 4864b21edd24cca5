import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Registry, live state, faults, status history, quarantine and the ingest checkpoint. */
export class Core1764500000001 implements MigrationInterface {
  name = 'Core1764500000001';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table sirens (
      id ${t.text} primary key, name ${t.text} not null, district_code ${t.text} not null, district_name ${t.text} not null,
      lat ${t.double} not null, lon ${t.double} not null, model ${t.text}, sound_threshold_db ${t.double},
      comms_path ${t.text}, secret ${t.text}, maintenance ${t.bool} not null default false, maintenance_note ${t.text},
      created_at ${t.bigint} not null, updated_at ${t.bigint} not null)`);
    await qr.query(`create index sirens_district on sirens (district_code)`);
    await qr.query(`create table siren_state (siren_id ${t.text} primary key, state ${t.text} not null, updated_at ${t.bigint} not null)`);
    await qr.query(`create table status_points (
      siren_id ${t.text} not null, boot_id ${t.text} not null, seq ${t.bigint} not null, ts ${t.bigint} not null,
      received_at ${t.bigint} not null, mode ${t.text} not null, mains ${t.bool} not null, battery_v ${t.double},
      battery_pct ${t.double} not null, temperature_c ${t.double} not null, rssi_dbm ${t.double},
      primary key (siren_id, boot_id, seq))`);
    await qr.query(`create index status_points_time on status_points (siren_id, received_at)`);
    await qr.query(`create table faults (
      id ${t.text} primary key, siren_id ${t.text} not null, type ${t.text} not null, severity ${t.text} not null,
      state ${t.text} not null, raised_at ${t.bigint} not null, cleared_at ${t.bigint}, acked_at ${t.bigint}, acked_by ${t.text},
      note ${t.text}, shelved_until ${t.bigint}, flap_count ${t.int} not null default 0, incident_id ${t.text},
      detail ${t.text}, updated_at ${t.bigint} not null)`);
    await qr.query(`create index faults_siren on faults (siren_id, type)`);
    await qr.query(`create index faults_state on faults (state)`);
    await qr.query(`create table quarantine (
      id ${t.autoId}, received_at ${t.bigint} not null, topic ${t.text} not null, siren_id ${t.text},
      reason ${t.text} not null, detail ${t.text} not null, payload ${t.text} not null)`);
    await qr.query(`create table ingest_checkpoint (consumer ${t.text} primary key, journal_offset ${t.bigint} not null, updated_at ${t.bigint} not null)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['ingest_checkpoint', 'quarantine', 'faults', 'status_points', 'siren_state', 'sirens']) {
      await qr.query(`drop table ${table}`);
    }
  }
}
