import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt from 'mqtt';
import { backends, eventually, externalServers, uniq } from './support/env.js';
import { TestMosquitto } from './support/mosquitto.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

const OUTAGE_MS = 20_000;

/** PROTOCOL.md "Blind centre": while the centre cannot hear, nobody is judged offline by silence. */
describe.each(backends())('broker outage of 20 s (%s database)', (backend) => {
  const broker = new TestMosquitto();
  let svc: TestService;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    await broker.start();
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    // The broker is always the private one here, so it can be stopped; the database varies.
    svc = await TestService.start({ backend: 'embedded', mqttUrl: broker.url, databaseUrl, env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} });
    await svc.register(['O-1']);
  });

  afterAll(async () => {
    await svc?.close();
    await broker.stop();
    await dropDb?.();
  });

  it('survives a 20 s broker outage: 503 with mqtt down meanwhile, no OFFLINE, all ok after, availability republished', async () => {
    const siren = new SirenClient(broker.url, svc.topicRoot, 'O-1', 'boot-o', 1);
    await siren.connect();
    await siren.status();
    // A live siren: a status every interval (1 s), queued by mqtt.js while the broker is away.
    const beat = setInterval(() => void siren.status().catch(() => undefined), 1_000);
    const health = () => svc.request('GET', '/api/health', { token: null });
    try {
      await eventually(async () => (await svc.get('/api/sirens/O-1')).health === 'ok', 5_000, 'O-1 ok');
      await broker.stop();
      const down = Date.now();
      await eventually(async () => (await health()).body.mqtt === 'down', 5_000, 'mqtt down');
      // Twenty times the siren's interval: judged every second, it never turns offline.
      while (Date.now() - down < OUTAGE_MS) {
        const h = await health();
        expect([h.status, h.body]).toEqual([503, { status: 'degraded', mqtt: 'down', db: 'up' }]);
        expect((await svc.get('/api/sirens/O-1')).health).toBe('ok');
        await new Promise((r) => setTimeout(r, 1_000));
      }
      const restarted = Date.now();
      await broker.start();
      await eventually(async () => (await health()).status === 200, 10_000, 'health 200 again');
      expect((await health()).body).toEqual({ status: 'ok', mqtt: 'up', db: 'up' });
      await new Promise((r) => setTimeout(r, 3_000)); // the grace interval and the held will have run out
      expect((await svc.get('/api/sirens/O-1')).health).toBe('ok');
      expect(await svc.get('/api/faults?sirenId=O-1&state=all')).toEqual([]);
      // The retained server/availability a siren finds now is the one published after the restart.
      const watcher = await mqtt.connectAsync(broker.url, { clientId: `watch-${uniq()}` });
      try {
        const retained = new Promise<Buffer>((resolve) => watcher.once('message', (_t, p) => resolve(p)));
        await watcher.subscribeAsync(`${svc.topicRoot}/server/availability`, { qos: 1 });
        const availability = JSON.parse((await retained).toString());
        expect(availability.online).toBe(true);
        expect(Date.parse(availability.ts)).toBeGreaterThanOrEqual(restarted - 1_000);
      } finally {
        await watcher.endAsync();
      }
    } finally {
      clearInterval(beat);
      await siren.end();
    }
  }, 60_000);
});
