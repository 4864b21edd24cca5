import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { backends, eventually, externalServers, tempDir, uniq } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

const SIRENS = ['BK-1', 'BK-2', 'BK-3'];
const POINTS = 8;

function script(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['scripts/backup.mjs', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** What an operator would check after a restore: registry, faults, history, users. */
async function snapshot(svc: TestService) {
  const sirens = (await svc.get('/api/sirens')).map((s: any) => ({ id: s.id, name: s.name, districtCode: s.districtCode, activeFaults: s.activeFaults }));
  const faults = (await svc.get('/api/faults?state=all')).map((f: any) => ({ id: f.id, sirenId: f.sirenId, type: f.type, state: f.state, ackedBy: f.ackedBy, note: f.note }));
  const history: Record<string, number[]> = {};
  for (const id of SIRENS) history[id] = (await svc.get(`/api/sirens/${id}/history?limit=1000`)).map((p: any) => p.seq);
  const users = (await svc.get('/api/users')).map((u: any) => ({ username: u.username, role: u.role }));
  return { sirens, faults, history, users };
}

/** scripts/backup.mjs: data in → backup while the service runs → wipe → restore → the same data. */
describe.each(backends())('backup and restore on %s servers', (backend) => {
  const dataDir = tempDir();
  const clientId = `bk-${uniq()}`;
  const topicRoot = `bk${uniq()}/v1`;
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let svc: TestService | undefined;
  const dbEnv = (): Record<string, string> => (databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir });
  const start = () => TestService.start({ backend, dataDir, databaseUrl, clientId, topicRoot });

  beforeAll(async () => {
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
  });

  afterAll(async () => {
    await svc?.close();
    await dropDb?.();
  });

  it('restores exactly what was there when the backup was taken', async () => {
    svc = await start();
    await svc.register(SIRENS);
    const created = await svc.request('POST', '/api/users', { body: { username: 'duty-zh', password: 'duty-password-1', role: 'operator' } });
    expect(created.status).toBe(201);
    await eventually(async () => (await svc!.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
    for (const id of SIRENS) {
      const siren = new SirenClient(svc.mqttUrl, topicRoot, id);
      await siren.connect();
      for (let i = 0; i < POINTS; i++) await siren.status(id === 'BK-2' ? { amplifiers: [true, false, true, true] } : {});
      await siren.end();
    }
    const fault = await eventually(async () => (await svc!.get('/api/faults?sirenId=BK-2')).find((f: any) => f.type === 'AMPLIFIER_FAULT'), 10_000, 'amplifier fault');
    expect((await svc.request('POST', `/api/faults/${fault.id}/ack`, { body: { note: '已派人检修' } })).status).toBe(200);
    await eventually(async () => {
      const s = await snapshot(svc!);
      return SIRENS.every((id) => s.history[id].length === POINTS) && s.faults.some((f: any) => f.ackedBy === 'admin');
    }, 10_000, 'history and ack committed');
    const before = await snapshot(svc);

    const file = join(tempDir('backup-'), backend === 'external' ? 'sirenwatch.dump' : 'sirenwatch.db');
    const taken = script(['backup', file], dbEnv());
    expect([taken.code, taken.out]).toEqual([0, expect.stringContaining('backup written')]);
    await svc.close();
    svc = undefined;

    // Wipe: the database is gone.
    if (databaseUrl) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query('drop schema public cascade; create schema public');
      await c.end();
    } else {
      for (const f of ['sirenwatch.db', 'sirenwatch.db-wal', 'sirenwatch.db-shm']) rmSync(join(dataDir, f), { force: true });
    }

    const unconfirmed = script(['restore', file], dbEnv());
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.out).toContain('--yes');
    const junk = join(tempDir('junk-'), 'not-a-backup');
    writeFileSync(junk, 'hello');
    expect(script(['restore', junk, '--yes'], dbEnv()).code).toBe(1);

    const restored = script(['restore', file, '--yes'], dbEnv());
    expect([restored.code, restored.out]).toEqual([0, expect.stringContaining('restored')]);
    svc = await start();
    expect(await snapshot(svc)).toEqual(before);
    expect(before.users.map((u: any) => u.username)).toContain('duty-zh');
    // The restored users can log in with their passwords.
    expect((await svc.request('POST', '/api/auth/login', { body: { username: 'duty-zh', password: 'duty-password-1' }, token: null })).status).toBe(200);
  });
});
