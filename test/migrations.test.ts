import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../src/common/secret-box.js';
import { loadConfig } from '../src/config/load-config.js';
import { dataSourceOptions } from '../src/database/database.module.js';
import { MIGRATIONS } from '../src/database/migrations.js';
import { applyBirth, applyStatus, newLiveSiren } from '../src/sirens/live-siren.js';
import { backends, externalServers, tempDir, uniq } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { healthyStatus } from './support/siren-client.js';

const T0 = Date.parse('2026-06-01T08:00:00.000Z');
const SIRENS = ['OLD-1', 'OLD-2', 'OLD-3'];
const POINTS = 12;

/** A database at the first schema (0001 alone), as the earliest release left it. */
async function firstSchemaDatabase(env: Record<string, string>): Promise<DataSource> {
  // Only 0001 runs here, so the at-rest key does not matter.
  const options = dataSourceOptions(loadConfig(env), new SecretBox(randomBytes(32)));
  const ds = new DataSource({ ...options, migrations: [MIGRATIONS[0]], migrationsRun: false });
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

/** Realistic rows of that release: registry, live state, history, a fault, quarantine, a checkpoint. */
async function insertOldRows(ds: DataSource): Promise<void> {
  const pg = ds.options.type === 'postgres';
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    const ph = cols.map((_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
    return ds.query(`insert into ${table} (${cols.join(', ')}) values (${ph})`, Object.values(row));
  };
  for (const [i, id] of SIRENS.entries()) {
    await insert('sirens', { id, name: `老站 ${id}`, district_code: '360102', district_name: '东湖区', lat: 28.68, lon: 115.9 + i / 100, model: 'HDS-1000', sound_threshold_db: 95, comms_path: '4g', secret: null, maintenance: false, maintenance_note: null, created_at: T0, updated_at: T0 });
    const live = newLiveSiren(30);
    applyBirth(live, { online: true, bdSeq: 1, bootId: 'b-old', intervalS: 30, model: 'HDS-1000', fw: '1.0.0', capabilities: ['tone'], ts: new Date(T0).toISOString() }, { now: T0, retained: false, connected: true, willHoldMs: 2_000 });
    for (let seq = 0; seq < POINTS; seq++) {
      const at = T0 + seq * 30_000;
      const status = { sirenId: id, bootId: 'b-old', seq, ts: new Date(at).toISOString(), ...healthyStatus(), mains: id !== 'OLD-2', batteryPct: 90 - seq };
      applyStatus(live, status, at);
      await insert('status_points', { siren_id: id, boot_id: 'b-old', seq, ts: at, received_at: at + 40, mode: 'idle', mains: status.mains, battery_v: 26.5, battery_pct: status.batteryPct, temperature_c: 24.5, rssi_dbm: -70 });
    }
    await insert('siren_state', { siren_id: id, state: JSON.stringify(live), updated_at: T0 + POINTS * 30_000 });
  }
  await insert('faults', { id: 'f-old-1', siren_id: 'OLD-2', type: 'MAINS_FAILURE', severity: 'minor', state: 'active_acked', raised_at: T0 + 60_000, cleared_at: null, acked_at: T0 + 120_000, acked_by: 'duty1', note: '供电局已通知', shelved_until: null, flap_count: 2, incident_id: null, detail: 'mains false', updated_at: T0 + 120_000 });
  await insert('quarantine', { received_at: T0, topic: 'sirenwatch/v1/sirens/OLD-9/status', siren_id: 'OLD-9', reason: 'unregistered', detail: 'OLD-9 is not in the registry', payload: '{"sirenId":"OLD-9"}' });
  await insert('ingest_checkpoint', { consumer: 'sirenwatch-retired-host', journal_offset: 4096, updated_at: T0 });
}

/** An upgrade: every later migration applies on top of a first-schema database that holds data. */
describe.each(backends())('migrations forward from the first schema on %s servers', (backend) => {
  let svc: TestService | undefined;
  let dropDb: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await svc?.close();
    await dropDb?.();
  });

  it('applies every later migration and keeps the old data', async () => {
    const dataDir = tempDir();
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    const old = await firstSchemaDatabase({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
    await insertOldRows(old);
    expect((await old.query('select name from migrations')).map((r: { name: string }) => r.name)).toEqual([MIGRATIONS[0].name]);
    await old.destroy();

    svc = await TestService.start({ backend, dataDir, databaseUrl, clientId: `mig-${uniq()}` });
    const ds = svc.app.get(DataSource);
    const applied = (await ds.query('select name from migrations order by timestamp')).map((r: { name: string }) => r.name);
    // The service's own list: MIGRATIONS plus those built with the at-rest key.
    const expected = (ds.options.migrations as (new () => { name?: string })[]).map((M) => new M().name);
    expect(applied).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(MIGRATIONS.map((m) => m.name)));
    expect(expected.length).toBeGreaterThan(1);

    const sirens = await svc.get('/api/sirens');
    expect(sirens.map((s: { id: string }) => s.id).sort()).toEqual(SIRENS);
    const one = await svc.get('/api/sirens/OLD-1');
    expect(one).toMatchObject({ name: '老站 OLD-1', districtCode: '360102', districtName: '东湖区', lat: 28.68, bootId: 'b-old', lastSeq: POINTS - 1 });
    for (const id of SIRENS) {
      const history = await svc.get(`/api/sirens/${id}/history?from=${new Date(T0 - 1).toISOString()}&limit=1000`);
      expect(history.map((p: { seq: number }) => p.seq)).toEqual(Array.from({ length: POINTS }, (_, i) => i));
    }
    const faults = await svc.get('/api/faults?state=all&sirenId=OLD-2');
    expect(faults).toEqual([expect.objectContaining({ id: 'f-old-1', type: 'MAINS_FAILURE', state: 'active_acked', ackedBy: 'duty1', note: '供电局已通知' })]);
    const quarantine = await svc.get('/api/quarantine');
    expect(quarantine).toEqual(expect.arrayContaining([expect.objectContaining({ sirenId: 'OLD-9', reason: 'unregistered' })]));
    const checkpoint = await ds.query(`select journal_offset from ingest_checkpoint where consumer = 'sirenwatch-retired-host'`);
    expect(Number(checkpoint[0].journal_offset)).toBe(4096);
    // The later schema works on the old rows: the first admin (0002) exists, and a drill (0004) can be planned over them.
    const users = await svc.get('/api/users');
    expect(users.map((u: { username: string }) => u.username)).toContain('admin');
    const plan = await svc.request('POST', '/api/drills', { body: { name: 'after upgrade', scope: { sirenIds: SIRENS }, mode: 'silent' } });
    expect(plan.status).toBe(201);
  });
});
