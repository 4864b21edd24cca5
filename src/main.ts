import { Logger, type INestApplication } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { createApp } from './bootstrap.js';
import { checkSharedDataDir } from './cluster/shared-data-dir.js';
import { LeaderLock } from './cluster/leader-lock.js';
import { becomeLeader, listenOn, lockOptions, type Leadership } from './cluster/stand-by.js';
import { AppLogger, logLevelsUpTo } from './common/app-logger.js';
import type { AppConfig } from './config/config.schema.js';
import { describeConfig, loadConfig } from './config/load-config.js';

/**
 * `node dist/src/main.js [--demo] [--with-sim]`: the service, configured by the environment.
 * `--demo` is the zero-setup mode of `npm start` (demo city, demo users); `--with-sim` adds the
 * in-process simulator.
 */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const config = loadConfig(process.env, { demo: args.has('--demo'), withSim: args.has('--with-sim') });
  // Read at every full collection, so it holds from here on (V8 has no environment variable for it).
  if (config.HEAP_GROWTH_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWTH_PERCENT}`);
  const leadership = config.DATABASE_URL ? await becomeLeader(config, new AppLogger(config.LOG_FORMAT, logLevelsUpTo(config.LOG_LEVEL))) : null;
  const app = await createApp(config);
  // The schema is there now (createApp migrates), and nothing has been consumed yet.
  if (config.CLUSTER) await checkSharedDataDir(leadership!.lock, config.DATA_DIR);
  // After createApp, so that the line goes through the app's logger and honours LOG_LEVEL.
  const log = new Logger('sirenwatch');
  log.log(`configuration: ${JSON.stringify(describeConfig(config))}`);
  if (leadership?.standby) {
    // Started before the standby lets go of the port, so that consoles see a gap of milliseconds.
    await app.init();
    await leadership.standby.close();
  }
  await listenOn(config, () => app.listen(config.PORT, config.HOST));
  log.log(`listening on http://${config.HOST}:${config.PORT} (console /, API docs /api/docs)`);
  if (leadership) leadFrom(leadership, config, log);
  stopOnSignal(app, config.SHUTDOWN_TIMEOUT_S * 1000, log, leadership);
}

/**
 * CLUSTER=true: a leader that can no longer vouch for its lock exits at once, without the graceful stop:
 * a standby may already be taking over, and two instances must never both run drills or commit. The
 * journal (DATA_DIR, shared by the instances) keeps what had not committed. A lone instance instead
 * rides out a database outage and takes the lock again once the database answers.
 */
function leadFrom(leadership: Leadership, config: AppConfig, log: Logger): void {
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

async function retake(leadership: Leadership, config: AppConfig, log: Logger): Promise<void> {
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
      return leadFrom(leadership, config, log);
    }
    // Another instance started while the database was away (or our old session lingers: then the
    // restart waits for it to end). Either way, two must not go on running.
    log.error(`another instance (${await lock.holder().catch(() => 'unknown')}) took this database meanwhile: exiting`);
    process.exit(1);
  }
}

/**
 * SIGTERM / SIGINT: a graceful stop (ingest drained and committed, `online:false` said, connections
 * closed by the shutdown hooks), then exit 0; exit 1 if it fails or outlasts SHUTDOWN_TIMEOUT_S
 * (whatever did not commit is replayed from the journal at the next start).
 */
function stopOnSignal(app: INestApplication, timeoutMs: number, log: Logger, leadership: Leadership | null): void {
  const stop = (signal: NodeJS.Signals) => {
    log.log(`${signal}: stopping`);
    setTimeout(() => {
      log.error(`shutdown took longer than ${timeoutMs / 1000} s: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      // The lock goes last: a standby takes over only once everything here has committed.
      () => void (leadership?.lock.release() ?? Promise.resolve()).then(() => process.exit(0)),
      (e: unknown) => {
        log.error(`shutdown failed: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`sirenwatch: ${message}\n`);
  process.exit(1);
});
