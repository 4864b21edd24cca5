import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt from 'mqtt';
import { serverAvailabilityTopic } from '../src/protocol/topics.js';
import type { ChildService } from './support/child-service.js';
import { eventually, externalServers, uniq } from './support/env.js';
import { expectEverySeqOnce } from './support/history.js';
import type { TestMosquitto } from './support/mosquitto.js';
import { childOnPrivateBroker, type ChildOnBroker } from './support/child-on-broker.js';
import { healthyStatus } from './support/siren-client.js';

const ROOT = 'sirenwatch/v1';
const SIRENS = ['G-1', 'G-2', 'G-3', 'G-4', 'G-5'];
const PER_SIREN = 400;

/** The retained server/availability the broker holds now (what a siren would be told on subscribing). */
async function retainedAvailability(url: string): Promise<{ online: boolean; instance: string }> {
  const c = await mqtt.connectAsync(url, { clientId: `peek-${uniq()}` });
  let timer: NodeJS.Timeout | undefined;
  try {
    const got = new Promise<Buffer>((resolve) => c.on('message', (_t, payload) => resolve(payload)));
    await c.subscribeAsync(serverAvailabilityTopic(ROOT), { qos: 1 });
    return JSON.parse(String(await Promise.race([got, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error('no retained availability')), 3_000)))])));
  } finally {
    clearTimeout(timer);
    await c.endAsync();
  }
}

const jsonLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; context: string; msg: string; requestId?: string });

/**
 * SIGTERM mid-stream: the service stops taking messages, commits what it acknowledged, says
 * online:false (retained) and exits 0 at once; after a restart every seq is applied exactly once,
 * with nothing left to replay from the journal.
 */
describe.each(externalServers() ? ['sqlite', 'postgres'] : ['sqlite'])('graceful shutdown with %s', (db) => {
  let run: ChildOnBroker;
  let broker: TestMosquitto;
  let svc: ChildService;
  const clientId = `graceful-${uniq()}`;

  beforeAll(async () => {
    run = await childOnPrivateBroker(db as 'sqlite' | 'postgres', { MQTT_CLIENT_ID: clientId, INGEST_BATCH_MS: '200', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, SIRENS);
    ({ broker, svc } = run);
  });

  afterAll(async () => {
    await run?.stop();
  });

  it('drains, commits, says offline and exits 0; the restart applies every seq once', async () => {
    expect(await retainedAvailability(broker.url)).toMatchObject({ online: true, instance: clientId });
    const pub = await mqtt.connectAsync(broker.url, { clientId: `pub-${uniq()}` });
    const boot = `b-${uniq()}`;
    const sends: Promise<unknown>[] = [];
    let stoppedIn = 0;
    let exitCode: number | null = -1;
    for (let seq = 0; seq < PER_SIREN; seq++) {
      for (const id of SIRENS) {
        const payload = JSON.stringify({ sirenId: id, bootId: boot, seq, ts: new Date().toISOString(), ...healthyStatus() });
        sends.push(pub.publishAsync(`${ROOT}/sirens/${id}/status`, payload, { qos: 1 }));
      }
      if (seq === 150) {
        await eventually(async () => (await svc.metric('sirenwatch_messages_total', 'channel="status",result="applied"')) > 200, 20_000, 'first messages applied');
        const t0 = Date.now();
        exitCode = await svc.stop();
        stoppedIn = Date.now() - t0;
      }
    }
    await Promise.all(sends);
    await pub.endAsync();
    expect(exitCode).toBe(0);
    expect(stoppedIn).toBeLessThan(5_000);
    expect(await retainedAvailability(broker.url)).toMatchObject({ online: false, instance: clientId });

    const firstRun = jsonLines(svc.output);
    // LOG_FORMAT=json in a real process: the import's request line carries its request id.
    expect(firstRun.find((l) => l.context === 'http' && l.msg.startsWith('POST /api/sirens/import 200'))?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const stopped = firstRun.find((l) => l.context === 'ingest' && l.msg.startsWith('stopped:'));
    expect(stopped?.msg).toMatch(/, 0 messages left to replay$/);

    await svc.start();
    for (const id of SIRENS) await expectEverySeqOnce(svc, id, PER_SIREN);
    expect(await retainedAvailability(broker.url)).toMatchObject({ online: true });
    const all = jsonLines(svc.output);
    expect(all.some((l) => l.msg.startsWith('replayed'))).toBe(false);
    expect(all.filter((l) => l.level === 'error')).toEqual([]);
  });
});
