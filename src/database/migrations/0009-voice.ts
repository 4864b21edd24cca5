import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Spoken messages: capabilities set in the registry, audio files, messages, templates, and a run's voice segment. */
export class Voice1764500000009 implements MigrationInterface {
  name = 'Voice1764500000009';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`alter table sirens add column capabilities ${t.text}`);
    await qr.query(`alter table drills add column voice ${t.text}`);
    await qr.query(`create table voice_audio (
      id ${t.text} primary key, sha256 ${t.text} not null, format ${t.text} not null, duration_s ${t.double} not null,
      size_bytes ${t.bigint} not null, created_by ${t.text} not null, created_at ${t.bigint} not null)`);
    await qr.query(`create table voice_messages (
      id ${t.text} primary key, scope ${t.text} not null, language ${t.text} not null, text ${t.text}, audio_id ${t.text},
      repeat ${t.int} not null, tone_pattern ${t.text}, exercise ${t.bool} not null, time_scale ${t.double} not null,
      ack_timeout_s ${t.double} not null, created_by ${t.text} not null, created_at ${t.bigint} not null,
      sent_by ${t.text}, sent_at ${t.bigint}, run_id ${t.text}, skipped ${t.text})`);
    await qr.query(`create table voice_templates (
      id ${t.text} primary key, name ${t.text} not null, text_zh ${t.text} not null, text_en ${t.text} not null,
      created_by ${t.text} not null, created_at ${t.bigint} not null)`);
    // Shelter guidance, filled in per district by the console ({district}, {place}).
    await qr.query(
      `insert into voice_templates (id, name, text_zh, text_en, created_by, created_at) values
       ('shelter', 'shelter guidance', '{district}居民请注意：请立即前往{place}人防工程避险，听从工作人员指挥。', 'Residents of {district}: go to the {place} shelter now and follow the staff''s directions.', 'system', 0),
       ('drill-918', '9·18 drill announcement', '{district}居民请注意：现在进行防空警报试鸣演练，这是演练，请保持正常秩序。', 'Residents of {district}: this is an air-raid siren drill. This is only a drill; carry on as normal.', 'system', 0)`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`drop table voice_templates`);
    await qr.query(`drop table voice_messages`);
    await qr.query(`drop table voice_audio`);
  }
}
