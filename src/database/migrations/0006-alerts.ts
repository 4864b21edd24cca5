import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from '../sql-types.js';

/** CAP alerts, and the link from an activation (a drill run) to its alert. */
export class Alerts1764500000006 implements MigrationInterface {
  name = 'Alerts1764500000006';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(`create table alerts (
      id ${t.text} primary key, identifier ${t.text} not null, sender ${t.text} not null, sent ${t.text} not null,
      sent_at ${t.bigint} not null, status ${t.text} not null, msg_type ${t.text} not null, scope ${t.text} not null,
      version ${t.text} not null, infos ${t.text} not null, refs ${t.text} not null, expires_at ${t.bigint},
      state ${t.text} not null, received_at ${t.bigint} not null, received_via ${t.text} not null, received_by ${t.text} not null,
      activation_id ${t.text}, xml ${t.text} not null, unique (sender, identifier, sent))`);
    await qr.query(`create index alerts_state on alerts (state)`);
    await qr.query(`alter table drills add column alert_id ${t.text}`);
    await qr.query(`alter table drills add column exercise ${t.bool} not null default true`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`drop table alerts`);
  }
}
