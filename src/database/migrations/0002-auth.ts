import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Users, API keys, the audit log and generated application secrets. */
export class Auth1764500000002 implements MigrationInterface {
  name = 'Auth1764500000002';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table users (
      username ${t.text} primary key, password_hash ${t.text} not null, role ${t.text} not null,
      created_at ${t.bigint} not null, disabled ${t.bool} not null default false)`);
    await qr.query(`create table api_keys (
      id ${t.text} primary key, name ${t.text} not null, scope ${t.text} not null, key_hash ${t.text} not null,
      created_at ${t.bigint} not null, created_by ${t.text} not null, revoked_at ${t.bigint})`);
    await qr.query(`create unique index api_keys_hash on api_keys (key_hash)`);
    await qr.query(`create table audit_log (
      id ${t.autoId}, at ${t.bigint} not null, actor ${t.text} not null, action ${t.text} not null,
      target ${t.text}, detail ${t.text})`);
    await qr.query(`create index audit_log_at on audit_log (at)`);
    await qr.query(`create table app_secrets (name ${t.text} primary key, value ${t.text} not null, created_at ${t.bigint} not null)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['app_secrets', 'audit_log', 'api_keys', 'users']) {
      await qr.query(`drop table ${table}`);
    }
  }
}
