#!/usr/bin/env node
// Backup and restore of sirenwatch's database, configured like the service (DATABASE_URL, DATA_DIR):
//   node scripts/backup.mjs backup FILE           safe while the service runs
//   node scripts/backup.mjs restore FILE --yes    with the service stopped; replaces the whole database
// PostgreSQL: pg_dump -Fc / pg_restore (the client tools on PATH). SQLite: better-sqlite3's online
// backup API, which copies a consistent snapshot while the service goes on writing (WAL).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

const [command, file, ...flags] = process.argv.slice(2);
const url = process.env.DATABASE_URL || null;
const sqliteFile = join(process.env.DATA_DIR || './data', 'sirenwatch.db');

function fail(message) {
  process.stderr.write(`backup: ${message}\n`);
  process.exit(1);
}

/** libpq settings from the URL, so that the password never shows in a process list. */
function pgEnv(raw) {
  const u = new URL(raw);
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGDATABASE: decodeURIComponent(u.pathname.slice(1)) };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  if (u.searchParams.get('sslmode')) env.PGSSLMODE = u.searchParams.get('sslmode');
  return env;
}

function run(tool, args, env, stdout = 'inherit') {
  const r = spawnSync(tool, args, { env, stdio: ['ignore', stdout, 'inherit'] });
  if (r.error) fail(`${tool}: ${r.error.message} (install the PostgreSQL client tools)`);
  if (r.status !== 0) fail(`${tool} exited ${r.status}`);
}

/** The backup must be a sirenwatch database: its migrations table says which schema it has. */
function checkSqliteBackup(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') fail(`${path}: integrity check says ${ok}`);
    return db.prepare('select count(*) as n from migrations').get().n;
  } catch (e) {
    fail(`${path}: not a sirenwatch SQLite backup (${e.message})`);
  } finally {
    db.close();
  }
}

async function backup() {
  mkdirSync(dirname(file), { recursive: true });
  if (url) {
    run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', file], pgEnv(url));
  } else {
    if (!existsSync(sqliteFile)) fail(`${sqliteFile} does not exist (set DATA_DIR)`);
    const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
    try {
      await db.backup(file);
    } finally {
      db.close();
    }
    process.stdout.write(`schema at migration ${checkSqliteBackup(file)}\n`);
  }
  process.stdout.write(`backup written to ${file}\n`);
}

async function restore() {
  if (!existsSync(file)) fail(`${file} does not exist`);
  if (!flags.includes('--yes')) fail(`restore replaces the whole ${url ? 'PostgreSQL database' : `SQLite database ${sqliteFile}`}: stop the service, then add --yes`);
  if (url) {
    // Refuse a file that is not a pg_dump archive before anything is dropped.
    run('pg_restore', ['--list', file], process.env, 'ignore');
    // Empty first: tables of migrations newer than the backup would otherwise stay and clash.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('drop schema public cascade; create schema public');
    } finally {
      await client.end();
    }
    run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', pgEnv(url).PGDATABASE, file], pgEnv(url));
  } else {
    checkSqliteBackup(file);
    mkdirSync(dirname(sqliteFile), { recursive: true });
    const staging = `${sqliteFile}.restoring`;
    rmSync(staging, { force: true });
    const src = new Database(file, { readonly: true });
    try {
      await src.backup(staging);
    } finally {
      src.close();
    }
    for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) rmSync(f, { force: true });
    renameSync(staging, sqliteFile);
  }
  process.stdout.write(`restored ${file}; the service applies any newer migrations when it starts\n`);
}

if (!file || (command !== 'backup' && command !== 'restore')) fail('usage: node scripts/backup.mjs backup FILE | restore FILE --yes');
await (command === 'backup' ? backup() : restore());
