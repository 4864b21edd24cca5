import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { backends, eventually, externalServers } from './support/env.js';
import { TestMosquitto } from './support/mosquitto.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

/** PROTOCOL.md "Blind centre": while the centre cannot hear, nobody is judged offline by silence. */
describe.each(backends())('broker outage longer than 3 intervals (%s database)', (backend) => {
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

  it('raises no OFFLINE while the broker is down, nor after it comes back', async () => {
    const siren = new SirenClient(broker.url, svc.topicRoot, 'O-1', 'boot-o', 1);
    await siren.connect();
    await siren.status();
    // A live siren: a status every interval (1 s), queued by mqtt.js while the broker is away.
    const beat = setInterval(() => void siren.status().catch(() => undefined), 1_000);
    try {
      await eventually(async () => (await svc.get('/api/sirens/O-1')).health === 'ok', 5_000, 'O-1 ok');
      await broker.stop();
      await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'down', 5_000, 'mqtt down');
      await new Promise((r) => setTimeout(r, 4_500)); // longer than 3 × intervalS
      expect((await svc.get('/api/sirens/O-1')).health).toBe('ok');
      await broker.start();
      await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up again');
      await new Promise((r) => setTimeout(r, 3_000)); // the grace interval and the held will have run out
      expect((await svc.get('/api/sirens/O-1')).health).toBe('ok');
      expect(await svc.get('/api/faults?sirenId=O-1&state=all')).toEqual([]);
    } finally {
      clearInterval(beat);
      await siren.end();
    }
  });
});
