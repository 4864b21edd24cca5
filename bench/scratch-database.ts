/** A PostgreSQL database of the bench's own, created fresh and dropped after: no other database is touched. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_PORT = 5432;
const SERVER = `postgres://postgres@127.0.0.1:${PG_PORT}`;

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function onMaintenanceDb<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  // A name of our own making (hex only), so it is safe to splice into DDL.
  const name = `sirenwatch_bench_${randomBytes(6).toString('hex')}`;
  await onMaintenanceDb((c) => c.query(`create database ${name}`));
  return {
    name,
    url: `${SERVER}/${name}`,
    // FORCE ends sessions a hung service may still hold on this database (and only this one).
    drop: () => onMaintenanceDb((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
