import { ChildService } from './child-service.js';
import { externalServers, tempDir } from './env.js';
import { TestMosquitto } from './mosquitto.js';
import { freshDatabase } from './postgres.js';

export interface ChildOnBroker {
  broker: TestMosquitto;
  svc: ChildService;
  /** Stops the service, the broker and drops the database, whatever started. */
  stop(): Promise<void>;
}

/**
 * The service as a child process (so it can be killed or signalled) on a private Mosquitto (so the broker
 * can be stopped), with SQLite in a fresh DATA_DIR or a fresh PostgreSQL database; `sirens` registered.
 */
export async function childOnPrivateBroker(db: 'sqlite' | 'postgres', env: Record<string, string>, sirens: string[]): Promise<ChildOnBroker> {
  const broker = new TestMosquitto();
  await broker.start();
  const all: Record<string, string> = { MQTT_URL: broker.url, DATA_DIR: tempDir(), ...env };
  let dropDb: (() => Promise<void>) | undefined;
  if (db === 'postgres') {
    const fresh = await freshDatabase(externalServers()!.databaseUrl);
    all.DATABASE_URL = fresh.url;
    dropDb = fresh.drop;
  }
  const svc = await ChildService.create(all);
  await svc.start();
  await svc.register(sirens);
  return {
    broker,
    svc,
    stop: async () => {
      await svc.stop();
      await broker.stop();
      await dropDb?.();
    },
  };
}
