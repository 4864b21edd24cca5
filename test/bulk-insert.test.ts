import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { bulkInsert, type BulkTable } from '../src/database/bulk.js';
import { externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';

const ROWS: BulkTable = {
  table: 'bulk_rows',
  columns: ['id', 'label', 'ok', 'n', 'x'],
  pgTypes: ['bigint', 'text', 'bool', 'int', 'float8'],
  onConflict: 'on conflict (id) do nothing',
};

/** Strings that array literals must carry unchanged: quotes, backslashes, braces, separators, NULL-lookalikes. */
const AWKWARD = ['', 'NULL', 'null', '"', '\\', '\\"', '{a,b}', 'a,b', ' lead and trail ', '{"k":"v\\"w"}', '中文 警报', 'line\nbreak\ttab', 'lone \ud800 surrogate', "it's"];

const server = externalServers();
// Without TEST_DATABASE_URL (outside CI only: under CI externalServers() throws) there is nothing to run.
(server ? describe : describe.skip)('bulkInsert on PostgreSQL', () => {
  const serverUrl = server?.databaseUrl ?? '';
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase(serverUrl);
    drop = db.drop;
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await ds.query('create table bulk_rows (id bigint primary key, label text, ok bool, n int, x float8)');
  });
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('stores awkward strings, nulls, booleans and numbers exactly, in one statement', async () => {
    const rows = AWKWARD.map((label, i) => [i, label, i % 2 === 0, i % 3 === 0 ? null : -i, i === 1 ? null : i / 7]);
    await ds.transaction((tx) => bulkInsert(tx, ROWS, rows));
    const back = await ds.query('select id, label, ok, n, x from bulk_rows order by id');
    expect(back.map((r: { id: string }) => Number(r.id))).toEqual(AWKWARD.map((_, i) => i));
    // node-postgres turns a lone surrogate into U+FFFD on the way out, as any UTF-8 encoder must.
    expect(back.map((r: { label: string }) => r.label)).toEqual(AWKWARD.map((s) => s.replace('\ud800', '\ufffd')));
    expect(back.map((r: { ok: boolean }) => r.ok)).toEqual(rows.map((r) => r[2]));
    expect(back.map((r: { n: number | null }) => r.n)).toEqual(rows.map((r) => r[3]));
    expect(back.map((r: { x: number | null }) => r.x)).toEqual(rows.map((r) => r[4]));
  });

  it('stores JSON text columns exactly as serialised, matched to their rows', async () => {
    await ds.query('create table bulk_docs (id text primary key, doc text not null, at bigint not null, doc2 text not null)');
    const DOCS: BulkTable = { table: 'bulk_docs', columns: ['id', 'doc', 'at', 'doc2'], pgTypes: ['text', 'json', 'bigint', 'json'], onConflict: 'on conflict (id) do update set doc = excluded.doc' };
    const docs = AWKWARD.map((label, i) => JSON.stringify({ label, i, nested: { list: [label, null, true] } }));
    const rows = docs.map((d, i) => [`S-${i}`, d, i * 10, JSON.stringify([i])]);
    await ds.transaction((tx) => bulkInsert(tx, DOCS, rows));
    const back = await ds.query('select id, doc, at, doc2 from bulk_docs order by at');
    expect(back).toEqual(rows.map(([id, doc, at, doc2]) => ({ id, doc, at: String(at), doc2 })));
    await ds.transaction((tx) => bulkInsert(tx, DOCS, [['S-0', '{"changed":"\\"yes\\""}', 0, '[]']]));
    expect(JSON.parse((await ds.query(`select doc from bulk_docs where id = 'S-0'`))[0].doc)).toEqual({ changed: '"yes"' });
  });

  it('splits 25 001 rows into statements of 10 000, a JSON column still matched to its rows', async () => {
    await ds.query('create table bulk_split (id text primary key, doc text not null, at bigint not null)');
    const SPLIT: BulkTable = { table: 'bulk_split', columns: ['id', 'doc', 'at'], pgTypes: ['text', 'json', 'bigint'], onConflict: 'on conflict (id) do nothing' };
    const rows = Array.from({ length: 25_001 }, (_, i) => [`S-${i}`, JSON.stringify({ i }), i]);
    let statements = 0;
    await ds.transaction(async (tx) => {
      const query = tx.query.bind(tx);
      tx.query = ((sql: string, params?: unknown[]) => (statements++, query(sql, params))) as typeof tx.query;
      await bulkInsert(tx, SPLIT, rows);
    });
    expect(statements).toBe(3);
    const mismatched = await ds.query(`select count(*) as n from bulk_split where (doc::json->>'i')::bigint <> at or id <> 'S-' || at`);
    expect(Number(mismatched[0].n)).toBe(0);
    expect(Number((await ds.query('select count(*) as n from bulk_split'))[0].n)).toBe(25_001);
  });

  it('takes 20 000 rows at once, idempotently, and applies an update clause', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [1_000 + i, `p${i}`, true, i, 0.5]);
    await ds.transaction((tx) => bulkInsert(tx, ROWS, rows));
    await ds.transaction((tx) => bulkInsert(tx, ROWS, rows));
    expect(Number((await ds.query('select count(*) as n from bulk_rows where id >= 1000'))[0].n)).toBe(20_000);
    const upsert = { ...ROWS, onConflict: 'on conflict (id) do update set label = excluded.label' };
    await ds.transaction((tx) => bulkInsert(tx, upsert, [[1_000, 'changed', false, 0, 0]]));
    expect(await ds.query('select label, ok from bulk_rows where id = 1000')).toEqual([{ label: 'changed', ok: true }]);
  });
});
