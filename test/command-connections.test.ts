import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt, { type MqttClient } from 'mqtt';
import { eventually } from './support/env.js';
import { TestMosquitto } from './support/mosquitto.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

const SIRENS = Array.from({ length: 12 }, (_, i) => `CC-${String(i + 1).padStart(2, '0')}`);

/**
 * Commands leave on connections of their own (src/mqtt/command-publishers.ts), as the broker sees it:
 * a private Mosquitto that logs every packet with the client id that sent it.
 */
describe('command connections (Mosquitto)', () => {
  const broker = new TestMosquitto(true);
  let svc: TestService;
  let watcher: MqttClient;
  const sirens: SirenClient[] = [];
  const commands: string[] = [];

  beforeAll(async () => {
    await broker.start();
    svc = await TestService.start({ backend: 'embedded', mqttUrl: broker.url, env: { MQTT_COMMAND_CONNECTIONS: '3' } });
    await svc.register(SIRENS);
    for (const id of SIRENS) {
      const s = new SirenClient(broker.url, svc.topicRoot, id, `boot-${id}`, 5);
      await s.connect();
      await s.status();
      sirens.push(s);
    }
    watcher = await mqtt.connectAsync(broker.url, { clientId: `watch-${svc.options.clientId}` });
    watcher.on('message', (topic) => commands.push(topic.split('/').at(-2)!));
    await watcher.subscribeAsync(`${svc.topicRoot}/sirens/+/cmd`, { qos: 1 });
  });

  afterAll(async () => {
    await watcher?.endAsync(true);
    await Promise.all(sirens.map((s) => s.end()));
    await svc?.close();
    await broker.stop();
  });

  it('sends every command on one of its command connections, each siren’s always on the same one', async () => {
    for (const id of SIRENS) await eventually(async () => (await svc.get(`/api/sirens/${id}`)).health === 'ok', 10_000, `${id} ok`);
    // Two silent tests in a row: each siren gets two commands.
    for (let round = 0; round < 2; round++) {
      const drill = await svc.request('POST', '/api/drills', { body: { name: `cc-${round}`, scope: { sirenIds: SIRENS }, mode: 'silent', ackTimeoutS: 30 } });
      expect(drill.status).toBe(201);
      expect((await svc.request('POST', `/api/drills/${drill.body.id}/start`)).status).toBe(200);
      await eventually(() => commands.length === SIRENS.length * (round + 1), 10_000, `round ${round + 1} of commands`);
      await svc.request('POST', `/api/drills/${drill.body.id}/abort`);
    }
    const id = svc.options.clientId;
    const log = broker.log();
    for (const n of [1, 2, 3]) expect(log).toContain(`as ${id}-cmd${n} `);
    // "Received PUBLISH from <client> (d0, q1, r0, m1, '<root>/sirens/<id>/cmd', … (N bytes))"
    const senders = new Map<string, Set<string>>();
    for (const m of log.matchAll(/Received PUBLISH from (\S+) \([^']*'[^']*\/sirens\/([^/]+)\/cmd'/g)) {
      senders.set(m[2], (senders.get(m[2]) ?? new Set()).add(m[1]));
    }
    expect([...senders.keys()].sort()).toEqual(SIRENS);
    for (const [siren, from] of senders) expect([siren, [...from].every((c) => /-cmd[123]$/.test(c)), from.size]).toEqual([siren, true, 1]);
    // Twelve sirens over three connections: more than one of them is in use.
    expect(new Set([...senders.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
  });
});
