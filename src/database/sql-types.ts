import type { QueryRunner } from 'typeorm';

/** Column types spelled for the database a migration runs on. */
export function sqlTypes(qr: QueryRunner) {
  const pg = qr.connection.options.type === 'postgres';
  return {
    pg,
    text: 'text',
    bigint: 'bigint',
    int: 'integer',
    double: pg ? 'double precision' : 'real',
    bool: 'boolean',
    autoId: pg ? 'bigserial primary key' : 'integer primary key autoincrement',
  };
}
