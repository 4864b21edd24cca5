import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { ConfigError, describeConfig, loadConfig } from './config/load-config.js';

/**
 * `node dist/src/main.js [--demo] [--with-sim]`: the service, configured by the environment.
 * `--demo` is the zero-setup mode of `npm start` (demo city, demo users); `--with-sim` adds the
 * in-process simulator.
 */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const config = loadConfig(process.env, { demo: args.has('--demo'), withSim: args.has('--with-sim') });
  const app = await createApp(config);
  // After createApp, so that the line goes through the app's logger and honours LOG_LEVEL.
  const log = new Logger('sirenwatch');
  log.log(`configuration: ${JSON.stringify(describeConfig(config))}`);
  try {
    await app.listen(config.PORT, config.HOST);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`HTTP port ${config.PORT} on ${config.HOST} is taken: set PORT to a free port`);
    }
    throw e;
  }
  log.log(`listening on http://${config.HOST}:${config.PORT} (console /, API docs /api/docs)`);
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`sirenwatch: ${message}\n`);
  process.exit(1);
});
