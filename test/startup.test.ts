import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { eventually, freePort, tempDir } from './support/env.js';
import { TestMosquitto } from './support/mosquitto.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

/** Runs the built service as `npm run serve` would, returning its exit code and output. */
function serve(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/src/main.js'], { env: { PATH: process.env.PATH ?? '', DATA_DIR: tempDir(), LOG_LEVEL: 'warn', ...env }, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: stdout + stderr }),
    );
  });
}

describe('starting the service', () => {
  let blocker: Server;
  let takenPort: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    takenPort = (blocker.address() as { port: number }).port;
  });

  afterAll(() => new Promise((r) => blocker.close(r)));

  it('stops with a clear message when the embedded broker port is taken', async () => {
    const r = await serve({ MQTT_PORT: String(takenPort), PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`MQTT port ${takenPort} on 127.0.0.1 is taken: set MQTT_PORT to a free port, or MQTT_URL`);
  });

  it('stops with a clear message when the HTTP port is taken', async () => {
    const r = await serve({ PORT: String(takenPort), MQTT_PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`HTTP port ${takenPort} on 127.0.0.1 is taken`);
  });

  it('refuses production without its servers and admin, naming each variable', async () => {
    const r = await serve({ NODE_ENV: 'production', PORT: 'not-a-port' });
    expect(r.code).toBe(1);
    for (const v of ['PORT', 'MQTT_URL', 'DATABASE_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD']) expect(r.output).toContain(v);
  });
});

describe('MQTT 5 against Mosquitto', () => {
  const broker = new TestMosquitto();
  let svc: TestService;

  beforeAll(async () => {
    await broker.start();
    svc = await TestService.start({ backend: 'embedded', mqttUrl: broker.url, env: { MQTT_PROTOCOL_VERSION: '5' } });
    await svc.register(['V5-1']);
  });

  afterAll(async () => {
    await svc?.close();
    await broker.stop();
  });

  it('ingests with protocol version 5 just as with 3.1.1', async () => {
    const siren = new SirenClient(broker.url, svc.topicRoot, 'V5-1');
    await siren.connect();
    await siren.status({ batteryPct: 25 });
    await eventually(async () => (await svc.get('/api/sirens/V5-1')).health === 'fault', 5_000, 'status applied over MQTT 5');
    expect((await svc.get('/api/sirens/V5-1')).activeFaults).toEqual(['BATTERY_LOW']);
    await siren.end();
  });
});
