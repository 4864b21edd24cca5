import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DataSource, QueryFailedError } from 'typeorm';
import { bulkInsert, type BulkTable } from './bulk.js';

const POINTS: BulkTable = {
  table: 'points',
  columns: ['id', 'label', 'ok'],
  pgTypes: ['int', 'text', 'bool'],
  onConflict: 'on conflict (id) do nothing',
};

let ds: DataSource;
beforeAll(async () => {
  ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
});
beforeEach(async () => {
  await ds.query('drop table if exists points');
  await ds.query('create table points (id integer primary key, label text, ok integer)');
});

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [from + i, `p${from + i}`, (from + i) % 3 === 0]);
const count = async () => Number((await ds.query('select count(*) as n from points'))[0].n);

describe('bulkInsert on SQLite', () => {
  it('stores 20 000 rows × 3 columns, beyond what one statement may bind', async () => {
    await ds.transaction((tx) => bulkInsert(tx, POINTS, rows(20_000)));
    expect(await count()).toBe(20_000);
    const [first, last] = [await ds.query('select * from points where id = 0'), await ds.query('select * from points where id = 19999')];
    expect(first).toEqual([{ id: 0, label: 'p0', ok: 1 }]);
    expect(last).toEqual([{ id: 19_999, label: 'p19999', ok: 0 }]);
    expect((await ds.query('select min(id) as lo, max(id) as hi, count(distinct id) as n from points'))[0]).toEqual({ lo: 0, hi: 19_999, n: 20_000 });
  });

  it('runs one prepared row statement, the same for every row and every call', async () => {
    const db = (ds.driver as unknown as { databaseConnection: { prepare: (sql: string) => unknown } }).databaseConnection;
    const prepare = jest.spyOn(db, 'prepare');
    const spec = { ...POINTS }; // not prepared by an earlier test
    try {
      await ds.transaction((tx) => bulkInsert(tx, spec, rows(25_001)));
      await ds.transaction((tx) => bulkInsert(tx, spec, rows(10, 30_000)));
      const ours = prepare.mock.calls.filter(([sql]) => sql.startsWith('insert into points'));
      expect(ours).toEqual([['insert into points (id, label, ok) values (?, ?, ?) on conflict (id) do nothing']]);
    } finally {
      prepare.mockRestore();
    }
    expect(await count()).toBe(25_011);
  });

  it('writes all or nothing outside a transaction too', async () => {
    const strict = { ...POINTS, onConflict: '' };
    await expect(bulkInsert(ds.manager, strict, [...rows(100), [5, 'dup', true]])).rejects.toThrow(/UNIQUE/);
    expect(await count()).toBe(0);
    await bulkInsert(ds.manager, strict, rows(100));
    expect(await count()).toBe(100);
  });

  it('writes booleans as 1 and 0 and keeps nulls', async () => {
    await ds.transaction((tx) => bulkInsert(tx, POINTS, [[1, 'yes', true], [2, 'no', false], [3, null, null]]));
    expect(await ds.query('select id, label, ok from points order by id')).toEqual([
      { id: 1, label: 'yes', ok: 1 },
      { id: 2, label: 'no', ok: 0 },
      { id: 3, label: null, ok: null },
    ]);
  });

  it('is idempotent with on conflict do nothing: a replay changes nothing', async () => {
    const batch = rows(15_000);
    await ds.transaction((tx) => bulkInsert(tx, POINTS, batch));
    await ds.transaction((tx) => bulkInsert(tx, POINTS, batch));
    expect(await count()).toBe(15_000);
    // the first write wins
    await ds.transaction((tx) => bulkInsert(tx, POINTS, [[7, 'changed', true], [15_000, 'new', false]]));
    expect(await ds.query('select label from points where id in (7, 15000) order by id')).toEqual([{ label: 'p7' }, { label: 'new' }]);
    expect(await count()).toBe(15_001);
  });

  it('applies an on-conflict update clause', async () => {
    await ds.transaction((tx) => bulkInsert(tx, POINTS, [[1, 'a', false]]));
    const upsert = { ...POINTS, onConflict: 'on conflict (id) do update set label = excluded.label, ok = excluded.ok' };
    await ds.transaction((tx) => bulkInsert(tx, upsert, [[1, 'b', true], [2, 'c', false]]));
    expect(await ds.query('select id, label, ok from points order by id')).toEqual([{ id: 1, label: 'b', ok: 1 }, { id: 2, label: 'c', ok: 0 }]);
  });

  it('rolls back every row when one fails inside a transaction', async () => {
    const strict = { ...POINTS, onConflict: '' }; // a duplicate id, the last row, fails
    const batch = [...rows(10_000), [5, 'dup', true]];
    const failed = ds.transaction((tx) => bulkInsert(tx, strict, batch));
    await expect(failed).rejects.toThrow(/UNIQUE/);
    // As TypeORM's own queries fail (and of this realm: better-sqlite3's SqliteError is of the first test file that loaded it).
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    expect(await count()).toBe(0);
  });

  it('sends nothing for no rows', async () => {
    const db = (ds.driver as unknown as { databaseConnection: { prepare: (sql: string) => unknown; exec: (sql: string) => unknown } }).databaseConnection;
    const calls = [jest.spyOn(db, 'prepare'), jest.spyOn(db, 'exec')];
    try {
      await bulkInsert(ds.manager, { ...POINTS }, []);
      for (const c of calls) expect(c).not.toHaveBeenCalled();
    } finally {
      calls.forEach((c) => c.mockRestore());
    }
  });
});
// PostgreSQL: test/bulk-insert.test.ts, against a real server.
