import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

const METRICS = ['battery_v', 'battery_pct', 'temperature_c', 'rssi_dbm'];

/** Maintenance periods (for availability), 5-minute status aggregates (retention) and stored monthly reports. */
export class HistoryReports1764500000008 implements MigrationInterface {
  name = 'HistoryReports1764500000008';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table maintenance_periods (
      siren_id ${t.text} not null, started_at ${t.bigint} not null, ended_at ${t.bigint}, primary key (siren_id, started_at))`);
    // Sirens already in maintenance: the period starts at their last change, the best time known.
    await qr.query(`insert into maintenance_periods (siren_id, started_at, ended_at) select id, updated_at, null from sirens where maintenance = ${t.pg ? 'true' : '1'}`);
    const metricCols = METRICS.map((m) => `${m}_n ${t.int} not null, ${m}_sum ${t.double} not null, ${m}_min ${t.double}, ${m}_max ${t.double}`).join(', ');
    await qr.query(`create table status_aggregates (
      siren_id ${t.text} not null, bucket_start ${t.bigint} not null, count ${t.int} not null, mains_count ${t.int} not null,
      ${metricCols}, primary key (siren_id, bucket_start))`);
    await qr.query(`create table monthly_reports (
      month ${t.text} not null, lang ${t.text} not null, generated_at ${t.bigint} not null, html ${t.text} not null, csv ${t.text} not null,
      primary key (month, lang))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['monthly_reports', 'status_aggregates', 'maintenance_periods']) await qr.query(`drop table ${table}`);
  }
}
