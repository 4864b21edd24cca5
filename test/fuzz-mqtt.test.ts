import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt, { type MqttClient } from 'mqtt';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CapError, parseCap } from '../src/alerts/cap-parser.js';
import { parseSirenPayload } from '../src/protocol/parse.js';
import { capTopic, SIREN_CHANNELS, sirenTopic } from '../src/protocol/topics.js';
import { backends, eventually } from './support/env.js';
import { Fuzzer, fuzzSeed } from './support/fuzz.js';
import { metricSum } from './support/metrics-text.js';
import { serviceOn } from './support/on-backend.js';
import type { TestService } from './support/service.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** A full collection, twice: the first may leave objects that finalizers freed. */
const collect = () => {
  gc();
  gc();
};

const PER_CHANNEL = Number(process.env.FUZZ_PER_CHANNEL ?? 1_500);
const CAP_COUNT = 200;
const FOREIGN_COUNT = 300;
const ID = 'FZ-1';
const BOOT = 'boot-fuzz';
/** The whole flood must be taken in within this (PROTOCOL.md: bad input never stalls ingestion). */
const SETTLE_MS = 60_000;

interface Sent {
  messages: number;
  quarantined: number;
  capRefused: number;
  capStored: number;
}

/** The alert's identity (API.md: sender + identifier + sent), or null when the document is refused. */
function capIdentity(payload: Buffer): string | null {
  try {
    const cap = parseCap(payload);
    return JSON.stringify([cap.sender, cap.identifier, cap.sent]);
  } catch (e) {
    if (e instanceof CapError) return null;
    throw e;
  }
}

describe.each(backends())('hostile MQTT input (%s)', (backend) => {
  const seed = fuzzSeed();
  const fz = new Fuzzer(seed);
  let svc: TestService;
  let close: () => Promise<void>;
  let pub: MqttClient;

  const counters = async () => {
    const text = (await svc.request<string>('GET', '/metrics', { token: null })).body;
    return {
      messages: metricSum(text, 'sirenwatch_messages_total'),
      quarantined: metricSum(text, 'sirenwatch_messages_total', /result="quarantined"/),
      quarantinedByReason: metricSum(text, 'sirenwatch_quarantined_total', /reason="(?!cap-invalid)/),
      capRefused: metricSum(text, 'sirenwatch_quarantined_total', /reason="cap-invalid"/),
      /** Messages (siren and CAP) whose effects the database has committed. */
      committed: metricSum(text, 'sirenwatch_ingest_lag_seconds_count'),
    };
  };
  const alertCount = async () => (await svc.get('/api/alerts')).length;
  /** Identities of the valid alerts sent so far: a repeat is answered with the stored alert, not stored again. */
  const identities = new Set<string>();

  /** Publishes the mix, in bounded batches; what the service should make of it, judged by the protocol's own parsers. */
  async function flood(perChannel: number, caps: number, foreign: number): Promise<Sent> {
    const sent: Sent = { messages: 0, quarantined: 0, capRefused: 0, capStored: 0 };
    const batch: Promise<unknown>[] = [];
    const countedBefore = (await counters()).messages;
    const send = async (topic: string, payload: Buffer) => {
      batch.push(pub.publishAsync(topic, payload, { qos: 1 }));
      if (batch.length < 500) return;
      await Promise.all(batch.splice(0));
      // Keep the broker's queue for the service short: a stock Mosquitto drops QoS 1 messages beyond
      // max_queued_messages (1 000), which a service slowed by a busy CI machine would otherwise meet.
      await eventually(async () => (await counters()).messages - countedBefore >= sent.messages - 500, SETTLE_MS, 'the service to keep up with the flood');
    };
    for (let i = 0; i < perChannel; i++) {
      for (const channel of SIREN_CHANNELS) {
        const payload = fz.sirenPayload(channel, ID, BOOT);
        const r = parseSirenPayload(channel, payload);
        const claimed = r.ok && 'sirenId' in r.value.payload ? r.value.payload.sirenId : undefined;
        sent.messages++;
        if (!r.ok || (claimed !== undefined && claimed !== ID)) sent.quarantined++;
        await send(sirenTopic(svc.topicRoot, ID, channel), payload);
      }
    }
    // Foreign traffic: ids the registry does not know, or that are no siren id at all. All of it is quarantined.
    for (let i = 0; i < foreign; i++) {
      const id = fz.pick(['FZ-UNKNOWN-1', 'FZ-UNKNOWN-2', 'bad.id', 'x'.repeat(65), 'a b', '警报器']);
      const channel = fz.pick(SIREN_CHANNELS);
      sent.messages++;
      sent.quarantined++;
      await send(`${svc.topicRoot}/sirens/${id}/${channel}`, fz.sirenPayload(channel, id, BOOT));
    }
    for (let i = 0; i < caps; i++) {
      const payload = fz.capPayload();
      const identity = capIdentity(payload);
      if (identity === null) sent.capRefused++;
      else if (!identities.has(identity)) {
        identities.add(identity);
        sent.capStored++;
      }
      await send(capTopic(svc.topicRoot), payload);
    }
    await Promise.all(batch);
    return sent;
  }

  beforeAll(async () => {
    process.stdout.write(`fuzz-mqtt (${backend}): seed ${seed} (FUZZ_SEED=${seed} replays it)\n`);
    ({ svc, close } = await serviceOn(backend));
    await svc.register([ID]);
    pub = await mqtt.connectAsync(svc.mqttUrl, { clientId: `fuzzer-${seed}-${backend}` });
  });

  afterAll(async () => {
    await pub?.endAsync();
    await close?.();
  });

  it('quarantines and counts everything it refuses, keeps applying valid status promptly, and stays flat in memory', async () => {
    // A first, small round warms every code path up, so that the measurement below sees growth, not start-up.
    const c0 = await counters();
    const warm = await flood(100, 20, 20);
    await eventually(async () => (await counters()).committed - c0.committed >= warm.messages + 20, SETTLE_MS, 'the warm-up round committed');
    collect();
    const before = process.memoryUsage();
    const c1 = await counters();
    const alerts1 = await alertCount();
    const started = Date.now();

    const sent = await flood(PER_CHANNEL, CAP_COUNT, FOREIGN_COUNT);
    const counted = await eventually(async () => {
      const c = await counters();
      return c.messages - c1.messages === sent.messages && c.capRefused - c1.capRefused === sent.capRefused ? c : null;
    }, SETTLE_MS, `all ${sent.messages} siren messages and ${sent.capRefused} refused CAP documents counted`);
    await eventually(async () => (await alertCount()) - alerts1 === sent.capStored, SETTLE_MS, `${sent.capStored} new valid CAP alerts stored`);
    const floodMs = Date.now() - started;

    expect(counted.quarantined - c1.quarantined).toBe(sent.quarantined);
    expect(counted.quarantinedByReason - c1.quarantinedByReason).toBe(sent.quarantined);
    expect(sent.quarantined).toBeGreaterThan(sent.messages / 2);
    expect(sent.capRefused).toBeGreaterThan(CAP_COUNT / 2);
    expect(sent.capStored).toBeGreaterThan(0);

    // No stall: a valid status of a new boot is applied at once.
    const t = Date.now();
    await pub.publishAsync(sirenTopic(svc.topicRoot, ID, 'status'), JSON.stringify({ ...fz.valid('status', ID, 'boot-after'), seq: 0 }), { qos: 1 });
    await eventually(async () => (await svc.get(`/api/sirens/${ID}`)).bootId === 'boot-after', 3_000, 'the valid status after the flood applied');
    const applyMs = Date.now() - t;

    // Nothing reached Object.prototype, in this very process (the service runs in it).
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();

    // Measured once the database has every batch, so that no batch in flight is counted as growth.
    await eventually(async () => (await counters()).committed - c1.committed >= sent.messages + CAP_COUNT + 1, SETTLE_MS, 'everything committed');
    collect();
    const after = process.memoryUsage();
    const heapGrowthMb = (after.heapUsed - before.heapUsed) / 2 ** 20;
    const rssGrowthMb = (after.rss - before.rss) / 2 ** 20;
    process.stdout.write(
      `fuzz-mqtt (${backend}): seed ${seed}: ${sent.messages} siren messages (${sent.quarantined} refused) + ${CAP_COUNT} CAP (${sent.capRefused} refused) in ${floodMs} ms; ` +
        `valid status applied ${applyMs} ms after; heap ${(before.heapUsed / 2 ** 20).toFixed(1)} → ${(after.heapUsed / 2 ** 20).toFixed(1)} MB, ` +
        `rss ${(before.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MB\n`,
    );
    // A message kept per message would show: 6 500 messages × 2.5 KB ≈ 16 MB.
    expect(heapGrowthMb).toBeLessThan(16);
    expect(rssGrowthMb).toBeLessThan(128);
    expect((await svc.request('GET', '/api/health', { token: null })).body).toMatchObject({ status: 'ok', mqtt: 'up', db: 'up' });
  }, 180_000);
});
