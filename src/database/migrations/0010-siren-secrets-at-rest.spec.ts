import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadSecretKey, SecretBox } from '../../common/secret-box.js';
import { MIGRATIONS, migrationsWithKey } from '../migrations.js';

describe('migration 0010: siren secrets sealed at rest', () => {
  const box = new SecretBox(loadSecretKey({ SECRET_KEY: 'migration-test-key-0123456789abcdef', DATA_DIR: '/nonexistent' }));
  const file = join(mkdtempSync(join(tmpdir(), 'mig-0010-')), 'db.sqlite');
  let ds: DataSource | undefined;
  const open = async (migrations: DataSource['options']['migrations']) => {
    ds = new DataSource({ type: 'better-sqlite3', database: file, migrations, migrationsRun: true });
    return ds.initialize();
  };

  afterEach(async () => ds?.destroy());

  it('seals the plain-text secrets written before it, leaves sirens without one alone, and reverts', async () => {
    const before = await open(MIGRATIONS);
    for (const [id, secret] of [['S-1', 'plain-secret-of-s1'], ['S-2', null]]) {
      await before.query(`insert into sirens (id, name, district_code, district_name, lat, lon, secret, created_at, updated_at) values (?, ?, '1', 'd', 0, 0, ?, 0, 0)`, [id, id, secret]);
    }
    await before.destroy();
    const after = await open(migrationsWithKey(box));
    const rows: { id: string; secret: string | null }[] = await after.query('select id, secret from sirens order by id');
    expect(rows[0].secret).not.toContain('plain-secret-of-s1');
    expect(box.open(rows[0].secret!, 'S-1')).toBe('plain-secret-of-s1');
    expect(rows[1].secret).toBeNull();
    await after.undoLastMigration();
    expect((await after.query(`select secret from sirens where id = 'S-1'`))[0].secret).toBe('plain-secret-of-s1');
  });
});
