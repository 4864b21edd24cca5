import { Logger, type INestApplication } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { createApp } from './bootstrap.js';
import { becomeLeader, holdLock, listenOn, type Leadership } from './cluster/leadership.js';
import { checkSharedDataDir } from './cluster/shared-data-dir.js';
import { AppLogger, logLevelsUpTo } from './common/app-logger.js';
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
  if (leadership) holdLock(leadership, config, log);
  stopOnSignal(app, config.SHUTDOWN_TIMEOUT_S * 1000, log, leadership);
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
