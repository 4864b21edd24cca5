import type { EntityManager } from 'typeorm';

export type PgArrayType = 'text' | 'bigint' | 'int' | 'float8' | 'bool';

export interface BulkTable {
  table: string;
  columns: readonly string[];
  /** PostgreSQL element type of each column, for UNNEST. */
  pgTypes: readonly PgArrayType[];
  /** e.g. `on conflict (siren_id) do update set state = excluded.state`; idempotent writes need one. */
  onConflict: string;
}

const SQLITE_MAX_VARS = 30_000;

/**
 * Inserts many rows in a few statements: PostgreSQL takes one array per column through UNNEST (one
 * round trip, typed columns); SQLite takes multi-row VALUES in chunks under its variable limit.
 */
export async function bulkInsert(tx: EntityManager, spec: BulkTable, rows: readonly unknown[][]): Promise<void> {
  if (!rows.length) return;
  const cols = spec.columns.join(', ');
  if (tx.connection.options.type === 'postgres') {
    const arrays = spec.columns.map((_, c) => rows.map((r) => r[c]));
    const unnest = spec.pgTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
    await tx.query(`insert into ${spec.table} (${cols}) select * from unnest(${unnest}) ${spec.onConflict}`, arrays);
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
