import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SecretBox } from '../../common/secret-box.js';

/** Rewrites every stored siren secret that `change` returns a new value for. */
async function rewriteSecrets(qr: QueryRunner, change: (id: string, secret: string) => string | null): Promise<void> {
  const p = (n: number) => (qr.connection.options.type === 'postgres' ? `$${n}` : '?');
  const rows: { id: string; secret: string }[] = await qr.query(`select id, secret from sirens where secret is not null`);
  for (const row of rows) {
    const next = change(row.id, row.secret);
    if (next !== null) await qr.query(`update sirens set secret = ${p(1)} where id = ${p(2)}`, [next, row.id]);
  }
}

/**
 * Sirens' signing secrets were stored in plain text: seal each under the at-rest key (AES-256-GCM,
 * bound to the siren's id). A class made per key, because the key comes from the configuration.
 */
export function sirenSecretsAtRest(box: SecretBox): new () => MigrationInterface {
  return class SirenSecretsAtRest1764500000010 implements MigrationInterface {
    name = 'SirenSecretsAtRest1764500000010';

    async up(qr: QueryRunner): Promise<void> {
      await rewriteSecrets(qr, (id, secret) => (SecretBox.isSealed(secret) ? null : box.seal(secret, id)));
    }

    async down(qr: QueryRunner): Promise<void> {
      await rewriteSecrets(qr, (id, secret) => (SecretBox.isSealed(secret) ? box.open(secret, id) : null));
    }
  };
}
