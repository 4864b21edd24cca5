import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** Login sessions: every token names one, so that logout, a password change or disabling a user revokes it. */
export class Sessions1764500000007 implements MigrationInterface {
  name = 'Sessions1764500000007';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table sessions (
      id ${t.text} primary key, username ${t.text} not null, created_at ${t.bigint} not null,
      expires_at ${t.bigint} not null, revoked_at ${t.bigint}, revoked_reason ${t.text})`);
    await qr.query(`create index sessions_username on sessions (username)`);
    await qr.query(`create index sessions_expires_at on sessions (expires_at)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`drop table sessions`);
  }
}
