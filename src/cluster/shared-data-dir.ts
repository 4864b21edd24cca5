import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/load-config.js';
import type { LeaderLock } from './leader-lock.js';

const MARK = 'cluster-id';

/**
 * The instances of a cluster must share DATA_DIR: the leader's journal holds what it acknowledged but
 * had not committed, and whoever leads next replays it. A mark file there, whose value the database
 * also keeps, tells a shared DATA_DIR from a separate one; an instance with a separate one refuses to
 * start rather than lose that tail at a takeover. Before the first leader has made the schema there is
 * nothing to compare with, and the check passes.
 */
export async function checkSharedDataDir(lock: LeaderLock, dataDir: string): Promise<void> {
  const file = join(dataDir, MARK);
  const mine = existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
  const proposed = mine ?? randomUUID();
  let stored: string | undefined;
  try {
    // app_secrets: values made once and kept in the database so that every instance agrees.
    await lock.query('insert into app_secrets (name, value, created_at) values ($1, $2, $3) on conflict (name) do nothing', [MARK, proposed, Date.now()]);
    stored = (await lock.query<{ value: string }>('select value from app_secrets where name = $1', [MARK])).rows[0]?.value;
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') return; // undefined_table: no schema yet
    throw e;
  }
  if (stored === mine) return;
  if (mine === null && stored === proposed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${proposed}\n`);
    return;
  }
  throw new ConfigError(
    `DATA_DIR ${dataDir} is not the one the other instances of this cluster share (its ${MARK} ${mine ? `is ${mine}` : 'is missing'}, the database says ${stored}): ` +
      'mount the shared volume as DATA_DIR, or a takeover would lose what the leader had acknowledged but not committed (docs/scaling.md)',
  );
}
