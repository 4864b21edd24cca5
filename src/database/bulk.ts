import type { EntityManager } from 'typeorm';

export type PgArrayType = 'text' | 'bigint' | 'int' | 'float8' | 'bool';

export interface BulkTable {
  table: string;
  columns: readonly string[];
  /** PostgreSQL type of each column (the element type of its array parameter). */
  pgTypes: readonly PgArrayType[];
  /** e.g. `on conflict (siren_id) do update set state = excluded.state`; idempotent writes need one. */
  onConflict: string;
}

const SQLITE_MAX_VARS = 30_000;

/**
 * Inserts many rows in a few statements. PostgreSQL takes one array per column, unnested into typed
 * columns (one round trip; DESIGN.md measured this form fastest). The arrays go as PostgreSQL array
 * literals built here: node-postgres's own array escaping blocked the event loop for about a second
 * per 10 000 state rows, and a JSON parameter costs twice the CPU here and fails on lone surrogates.
 * SQLite takes multi-row VALUES in chunks under its variable limit.
 */
export async function bulkInsert(tx: EntityManager, spec: BulkTable, rows: readonly unknown[][]): Promise<void> {
  if (!rows.length) return;
  const cols = spec.columns.join(', ');
  if (tx.connection.options.type === 'postgres') {
    const arrays = spec.pgTypes.map((_, i) => `$${i + 1}::${spec.pgTypes[i]}[]`).join(', ');
    const params = spec.pgTypes.map((type, i) => arrayLiteral(rows, i, type === 'text' ? quoted : plain));
    await tx.query(`insert into ${spec.table} (${cols}) select * from unnest(${arrays}) ${spec.onConflict}`, params);
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

type Element = (v: NonNullable<unknown>) => string;
const plain: Element = (v) => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v));
const quoted: Element = (v) => `"${String(v).replace(/[\\"]/g, '\\$&')}"`;

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
