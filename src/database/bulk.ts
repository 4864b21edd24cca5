import type Database from 'better-sqlite3';
import { QueryFailedError, type EntityManager } from 'typeorm';

/** `json`: a text column whose values are already JSON text, never null (serialised when the row was collected). */
export type PgArrayType = 'text' | 'bigint' | 'int' | 'float8' | 'bool' | 'json';

export interface BulkTable {
  table: string;
  columns: readonly string[];
  /** PostgreSQL type of each column (the element type of its array parameter). */
  pgTypes: readonly PgArrayType[];
  /** e.g. `on conflict (siren_id) do update set state = excluded.state`; idempotent writes need one. */
  onConflict: string;
}

/**
 * Rows per PostgreSQL statement: a state snapshot of 100 000 sirens joined into one JSON parameter was a
 * 100 MB string plus its copy on the wire, which V8 then kept as heap for a long time.
 */
const PG_MAX_ROWS = 10_000;

/**
 * Inserts many rows in a few statements. PostgreSQL takes one array per column, unnested into typed
 * columns (one round trip; DESIGN.md measured this form fastest). The arrays go as PostgreSQL array
 * literals built here: node-postgres's own array escaping blocked the event loop for about a second
 * per 10 000 state rows, and a JSON parameter costs twice the CPU here and fails on lone surrogates.
 * A `json` column's values are joined into one JSON array instead (no escaping at all) and matched to
 * the other columns by position. SQLite runs one prepared row statement per row (sqliteInsert).
 */
export async function bulkInsert(tx: EntityManager, spec: BulkTable, rows: readonly unknown[][]): Promise<void> {
  if (!rows.length) return;
  if (tx.connection.options.type === 'postgres') {
    const cols = spec.columns.join(', ');
    for (let at = 0; at < rows.length; at += PG_MAX_ROWS) {
      const chunk = rows.length <= PG_MAX_ROWS ? rows : rows.slice(at, at + PG_MAX_ROWS);
      const params = spec.pgTypes.map((type, i) => (type === 'json' ? `[${chunk.map((r) => r[i]).join(',')}]` : arrayLiteral(chunk, i, type === 'text' ? quoted : plain)));
      await tx.query(`insert into ${spec.table} (${cols}) ${unnestSelect(spec)} ${spec.onConflict}`, params);
    }
    return;
  }
  sqliteInsert(tx, spec)(rows);
}

type RowsInsert = (rows: readonly unknown[][]) => void;
const sqliteInserts = new WeakMap<Database.Database, Map<BulkTable, RowsInsert>>();

/**
 * The table's one-row upsert, prepared once per database and run for each row, all in one transaction:
 * the batch's own when there is one (better-sqlite3 nests it as a savepoint on the same connection), else
 * its own, so a failing row leaves none written. Multi-row VALUES through TypeORM took twice the time per
 * row: the statement differed with every row count and was parsed each time (17 µs a row for a drill's
 * commands).
 */
function sqliteInsert(tx: EntityManager, spec: BulkTable): RowsInsert {
  // TypeORM's better-sqlite3 driver holds the connection.
  const db = (tx.connection.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
  let prepared = sqliteInserts.get(db);
  if (!prepared) sqliteInserts.set(db, (prepared = new Map()));
  let insert = prepared.get(spec);
  if (!insert) {
    const sql = `insert into ${spec.table} (${spec.columns.join(', ')}) values (${spec.columns.map(() => '?').join(', ')}) ${spec.onConflict}`;
    const statement = db.prepare(sql);
    const args: unknown[] = new Array(spec.columns.length);
    const all = db.transaction((rows: readonly unknown[][]) => {
      for (const row of rows) {
        // better-sqlite3 binds no booleans.
        for (let i = 0; i < args.length; i++) args[i] = typeof row[i] === 'boolean' ? Number(row[i]) : row[i];
        statement.run(args);
      }
    });
    // Failing as TypeORM's own queries do, whatever calls this.
    insert = (rows) => {
      try {
        all(rows);
      } catch (e) {
        throw new QueryFailedError(sql, [], e as Error);
      }
    };
    prepared.set(spec, insert);
  }
  return insert;
}

/** `select …` of the rows: typed arrays unnested together, each json array joined on the position. */
function unnestSelect(spec: BulkTable): string {
  const plainCols = spec.columns.filter((_, i) => spec.pgTypes[i] !== 'json');
  const arrays = spec.pgTypes.flatMap((type, i) => (type === 'json' ? [] : [`$${i + 1}::${type}[]`]));
  const pick = spec.columns.map((c, i) => (spec.pgTypes[i] === 'json' ? `j${i}.value::text` : `u.${c}`));
  const joins = spec.pgTypes.flatMap((type, i) => (type === 'json' ? [`join json_array_elements($${i + 1}::json) with ordinality as j${i}(value, bulk_ord) using (bulk_ord)`] : []));
  return `select ${pick.join(', ')} from unnest(${arrays.join(', ')}) with ordinality as u(${[...plainCols, 'bulk_ord'].join(', ')}) ${joins.join(' ')}`;
}

type Element = (v: NonNullable<unknown>) => string;
const plain: Element = (v) => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v));
/** Characters that JSON.stringify would escape differently from an array literal's backslash rule. */
const NOT_JSON_SAFE = /[\u0000-\u001f\ud800-\udfff]/;
/** Array-literal quoting: JSON's `\"` and `\\` are the literal's own escapes, and JSON.stringify is native. */
const quoted: Element = (v) => {
  const s = String(v);
  return NOT_JSON_SAFE.test(s) ? `"${s.replace(/[\\"]/g, '\\$&')}"` : JSON.stringify(s);
};

/** Column `i` of the rows as a one-dimensional array literal (`{"a","b\\"c",NULL}`). */
function arrayLiteral(rows: readonly unknown[][], i: number, element: Element): string {
  let out = '{';
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r][i];
    if (r) out += ',';
    out += v === null || v === undefined ? 'NULL' : element(v);
  }
  return out + '}';
}
