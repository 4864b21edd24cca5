import type { EntityManager } from 'typeorm';

export type PgArrayType = 'text' | 'bigint' | 'int' | 'float8' | 'bool';

export interface BulkTable {
  table: string;
  columns: readonly string[];
  /** PostgreSQL type of each column (json_to_recordset's record definition). */
  pgTypes: readonly PgArrayType[];
  /** e.g. `on conflict (siren_id) do update set state = excluded.state`; idempotent writes need one. */
  onConflict: string;
}

const SQLITE_MAX_VARS = 30_000;

/**
 * Inserts many rows in a few statements. PostgreSQL takes the rows as one JSON text parameter unpacked
 * by json_to_recordset into typed columns: one round trip, and no per-element array escaping in
 * node-postgres (which blocked the event loop for about a second per 10 000 state rows). SQLite takes
 * multi-row VALUES in chunks under its variable limit.
 */
export async function bulkInsert(tx: EntityManager, spec: BulkTable, rows: readonly unknown[][]): Promise<void> {
  if (!rows.length) return;
  const cols = spec.columns.join(', ');
  if (tx.connection.options.type === 'postgres') {
    const record = spec.columns.map((c, i) => `${c} ${spec.pgTypes[i]}`).join(', ');
    const json = JSON.stringify(rows.map((r) => Object.fromEntries(spec.columns.map((c, i) => [c, r[i]]))));
    await tx.query(`insert into ${spec.table} (${cols}) select ${cols} from json_to_recordset($1::json) as x(${record}) ${spec.onConflict}`, [json]);
    return;
  }
  const per = Math.max(1, Math.floor(SQLITE_MAX_VARS / spec.columns.length));
  const tuple = `(${spec.columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params = chunk.flat().map((v) => (typeof v === 'boolean' ? Number(v) : v));
    await tx.query(`insert into ${spec.table} (${cols}) values ${chunk.map(() => tuple).join(', ')} ${spec.onConflict}`, params);
  }
}
