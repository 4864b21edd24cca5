import type { LoggerService } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { ConfigError } from '../config/load-config.js';
import { LeaderLock, type LeaderLockOptions } from './leader-lock.js';
import { checkSharedDataDir } from './shared-data-dir.js';
import { StandbyServer } from './standby-server.js';

export interface Leadership {
  /** Replaced when a lone instance takes the lock again after a database outage. */
  lock: LeaderLock;
  /** The standby server still listening on PORT until the service takes over (null: led from the start). */
  standby: StandbyServer | null;
}

const lockOptions = (config: AppConfig): LeaderLockOptions => ({ databaseUrl: config.DATABASE_URL!, advertiseUrl: config.CLUSTER_ADVERTISE_URL, pollMs: config.CLUSTER_LOCK_POLL_MS });

/** How long a lone instance (CLUSTER=false) waits for a lock that a dying predecessor may still hold. */
const LONE_WAIT_MS = 15_000;

/**
 * On PostgreSQL every instance takes the leader lock, so that two services never run on one database.
 * CLUSTER=true: takes it, or stands by until it can — forwarding this instance's HTTP to the leader
 * meanwhile; a stop signal while standing by exits. CLUSTER=false: refuses to start while another holds
 * it. Resolves once this instance leads.
 */
export async function becomeLeader(config: AppConfig, log: LoggerService): Promise<Leadership> {
  const lock = await LeaderLock.connect(lockOptions(config));
  if (!config.CLUSTER) return { lock: await alone(lock), standby: null };
  if (await lock.tryAcquire()) return { lock, standby: null };
  // A leader checks once createApp has made the schema (main.ts); a standby refuses before it serves.
  await checkSharedDataDir(lock, config.DATA_DIR);
  const standby = new StandbyServer();
  await listenOn(config, () => standby.listen(config.PORT, config.HOST));
  const stop = (signal: NodeJS.Signals) => {
    log.log(`${signal}: standby stopping`, 'cluster');
    void Promise.all([standby.close(), lock.release()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let shown: string | null | undefined;
  await lock
    .waitForLeadership((leader) => {
      standby.setLeader(leader);
      if (leader !== shown) log.log(`standing by on http://${config.HOST}:${config.PORT}; the leader is ${leader ?? 'not known yet'}`, 'cluster');
      shown = leader;
    })
    .catch((e: unknown) => {
      // A standby holds nothing: it exits, and its supervisor starts it again once the database answers.
      throw new Error(`standby lost its database connection (${e instanceof Error ? e.message : String(e)}): exiting`);
    });
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  log.log('took the leader lock: starting the service', 'cluster');
  return { lock, standby };
}

/**
 * CLUSTER=true: a leader that can no longer vouch for its lock exits at once, without the graceful stop:
 * a standby may already be taking over, and two instances must never both run drills or commit. The
 * journal (DATA_DIR, shared by the instances) keeps what had not committed. A lone instance instead
 * rides out a database outage and takes the lock again once the database answers.
 */
export function holdLock(leadership: Leadership, config: AppConfig, log: LoggerService): void {
  leadership.lock.watch((reason) => {
    if (config.CLUSTER) {
      log.error(`lost the leader lock (${reason}): exiting now so that a standby takes over`);
      process.exit(1);
    }
    log.warn(`lost the database lock (${reason}): taking it again once the database answers`);
    void leadership.lock.release();
    void retake(leadership, config, log);
  });
}

async function retake(leadership: Leadership, config: AppConfig, log: LoggerService): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 2_000));
    const lock = await LeaderLock.connect(lockOptions(config)).catch(() => null);
    const taken = await lock?.tryAcquire().catch(() => null);
    if (!lock || taken == null) {
      void lock?.release();
      continue; // the database is not back yet
    }
    if (taken) {
      leadership.lock = lock;
      log.log('took the database lock again');
      return holdLock(leadership, config, log);
    }
    // Another instance started while the database was away (or our old session lingers: then the
    // restart waits for it to end). Either way, two must not go on running.
    log.error(`another instance (${await lock.holder().catch(() => 'unknown')}) took this database meanwhile: exiting`);
    process.exit(1);
  }
}

async function alone(lock: LeaderLock): Promise<LeaderLock> {
  for (const until = Date.now() + LONE_WAIT_MS; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    if (await lock.tryAcquire()) return lock;
  }
  const holder = await lock.holder();
  await lock.release();
  throw new ConfigError(
    `another sirenwatch instance${holder ? ` (${holder})` : ''} already runs on this database: two would both run drills and commands. ` +
      'Stop it, or set CLUSTER=true on every instance to run this one as its standby (docs/scaling.md)',
  );
}

/** Listens, turning a taken port into a configuration error that names the variable. */
export async function listenOn(config: AppConfig, listen: () => Promise<unknown>): Promise<void> {
  try {
    await listen();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`HTTP port ${config.PORT} on ${config.HOST} is taken: set PORT to a free port`);
    }
    throw e;
  }
}
