import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt, { type MqttClient } from 'mqtt';
import { capXml } from './support/cap.js';
import { backends, eventually, uniq } from './support/env.js';
import { serviceOn } from './support/on-backend.js';
import { TestService } from './support/service.js';

/**
 * One alert relayed by several feeds at once: the same CAP message (same identifier + sender + sent,
 * API.md's identity) from an operator, two feed API keys and four MQTT feed clients, 50 copies within a
 * second. It must become one stored alert and one proposal for the operator (one `alert.receive`,
 * nothing sounded).
 */
describe.each(backends())('CAP flood (%s)', (backend) => {
  let svc: TestService;
  let close: () => Promise<void>;
  let feeds: MqttClient[] = [];
  const keys: string[] = [];

  beforeAll(async () => {
    ({ svc, close } = await serviceOn(backend));
    await svc.register(['CF-1', 'CF-2']);
    for (const name of ['feed-a', 'feed-b']) keys.push((await svc.request('POST', '/api/api-keys', { body: { name, scope: 'alerts' } })).body.key);
    feeds = await Promise.all([0, 1, 2, 3].map((i) => mqtt.connectAsync(svc.mqttUrl, { clientId: `capfeed-${i}-${uniq()}` })));
    await svc.token();
  });

  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.endAsync()));
    await close?.();
  });

  it('stores 50 concurrent copies over HTTP and MQTT as one alert and one proposal', async () => {
    const identifier = `FLOOD-${uniq()}`;
    const xml = capXml(identifier);
    const started = Date.now();
    const viaHttp = (headers: Record<string, string>) =>
      fetch(`${svc.baseUrl}/api/alerts`, { method: 'POST', headers: { 'content-type': 'application/cap+xml', ...headers }, body: xml }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id: string }).id }));
    const token = await svc.token();
    const senders: Record<string, string>[] = [{ authorization: `Bearer ${token}` }, { 'x-api-key': keys[0] }, { 'x-api-key': keys[1] }];
    const http = Array.from({ length: 30 }, (_, i) => viaHttp(senders[i % senders.length]));
    const overMqtt = Array.from({ length: 20 }, (_, i) => feeds[i % feeds.length].publishAsync(`${svc.topicRoot}/alerts/cap`, xml, { qos: 1 }));
    await Promise.all(overMqtt);
    const sentMs = Date.now() - started;
    expect(sentMs).toBeLessThan(1_000);
    const answers = await Promise.all(http);
    const elapsed = Date.now() - started;

    expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(1);
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    // Every MQTT copy was taken in before this later alert (one connection, in order, each waiting for the first copy).
    for (const f of feeds) await f.publishAsync(`${svc.topicRoot}/alerts/cap`, capXml(`AFTER-${identifier}`), { qos: 1 });
    await eventually(async () => (await svc.get('/api/alerts')).some((a: { identifier: string }) => a.identifier === `AFTER-${identifier}`), 10_000, 'the later alert');
    await new Promise((r) => setTimeout(r, 300));

    const stored = (await svc.get('/api/alerts')).filter((a: { identifier: string }) => a.identifier === identifier);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: answers[0].id, state: 'active', activation: null, coverage: { sirens: 2 } });
    const received = (await svc.get('/api/audit?action=alert.receive')).filter((e: { target: string }) => e.target === stored[0].id);
    expect(received).toHaveLength(1);
    process.stdout.write(`CAP flood (${backend}): 50 copies (30 HTTP from 3 senders, 20 MQTT from 4 clients) sent in ${sentMs} ms, answered in ${elapsed} ms → 1 alert, 1 alert.receive\n`);
  });

  // Two instances on one PostgreSQL cannot share a lock in memory: the unique index decides.
  if (backend === 'external') it('stores copies sent to two instances sharing the database once', async () => {
    const other = await TestService.start({ backend, databaseUrl: svc.config.DATABASE_URL });
    try {
      const identifier = `TWIN-${uniq()}`;
      const post = (s: TestService) => s.request('POST', '/api/alerts', { body: capXml(identifier), contentType: 'application/cap+xml' });
      await Promise.all([svc.token(), other.token()]);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? other : svc)));
      expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect((await svc.get('/api/alerts')).filter((a: { identifier: string }) => a.identifier === identifier)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
