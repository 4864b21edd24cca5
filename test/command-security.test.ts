import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt, { type MqttClient } from 'mqtt';
import { DataSource } from 'typeorm';
import { startSimulation, type SimulationHandle } from '../devices-sim/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { signCommand, verifyCommandSignature } from '../src/protocol/signing.js';
import { backends, eventually, uniq } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';

type Heard = { topic: string; body: Record<string, unknown> };

/**
 * Secrets at rest, rotation, and a siren that a broker account other than the centre cannot sound:
 * unsigned, wrongly signed, replayed (Dallas 2017) and expired commands are all refused.
 */
describe.each(backends())('command security (%s)', (backend) => {
  const tag = uniq().slice(0, 4);
  const [guarded] = demoCity(1).map((s) => ({ ...s, id: `${s.id}-${tag}` }));
  let svc: TestService;
  let sim: SimulationHandle;
  let intruder: MqttClient;
  let secret: string;
  let dropDb: (() => Promise<void>) | undefined;
  const heard: Heard[] = [];
  const topic = (ch: string) => `${svc.topicRoot}/sirens/${guarded.id}/${ch}`;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(process.env.TEST_DATABASE_URL!));
    svc = await TestService.start({ backend, databaseUrl, env: { SIMULATION: 'true' } });
    await svc.request('POST', '/api/sirens/import', { body: registryToCsv([guarded]), contentType: 'text/csv' });
    const rotated = await svc.request('POST', `/api/sirens/${guarded.id}/secret/rotate`);
    expect([rotated.status, rotated.headers.get('cache-control')]).toEqual([200, 'no-store']);
    secret = rotated.body.secret;
    // Provisioned out of band: the siren gets the secret the admin was shown.
    sim = await startSimulation({ url: svc.mqttUrl, sirens: [guarded], intervalS: 5, timeScale: 0.2, topicRoot: svc.topicRoot, secret: () => secret });
    await sim.allConnected();
    intruder = await mqtt.connectAsync(svc.mqttUrl, { clientId: `intruder-${uniq()}` });
    intruder.on('message', (t, p) => heard.push({ topic: t, body: JSON.parse(p.toString()) }));
    await intruder.subscribeAsync([topic('ack'), topic('event'), topic('cmd')], { qos: 1 });
    await eventually(async () => (await svc.get(`/api/sirens/${guarded.id}`)).health === 'ok', 10_000, 'siren ok');
  }, 30_000);

  afterAll(async () => {
    await intruder?.endAsync();
    await sim?.stop();
    await svc?.close();
    await dropDb?.();
  });

  it('keeps the secret sealed in the database and out of the audit log; rotation is admin-only', async () => {
    const rows: { id: string; secret: string }[] = await svc.app.get(DataSource).query('select id, secret from sirens');
    const stored = rows.find((r) => r.id === guarded.id)!.secret;
    expect(stored.startsWith('enc:v1:')).toBe(true);
    expect(stored).not.toContain(secret);
    const audit = await svc.get('/api/audit?action=siren.secret.rotate');
    expect(audit.map((a: { target: string }) => a.target)).toEqual([guarded.id]);
    expect(JSON.stringify(audit)).not.toContain(secret);
    await svc.request('POST', '/api/users', { body: { username: 'eng', password: 'engineer-password-1', role: 'engineer' } });
    const engineer = await svc.token('eng', 'engineer-password-1');
    expect((await svc.request('POST', `/api/sirens/${guarded.id}/secret/rotate`, { token: engineer })).status).toBe(403);
    expect((await svc.request('POST', '/api/sirens/NOPE/secret/rotate')).status).toBe(404);
  });

  it('obeys the centre’s signed command and refuses forged, replayed and expired ones', async () => {
    const planned = await svc.request('POST', '/api/drills', { body: { name: 'signed', scope: { sirenIds: [guarded.id] }, mode: 'silent', ackTimeoutS: 5, timeScale: 0.2 } });
    await svc.request('POST', `/api/drills/${planned.body.id}/start`);
    const done = await eventually(async () => {
      const d = await svc.get(`/api/drills/${planned.body.id}`);
      return d.state === 'completed' ? d : null;
    }, 30_000, 'drill done');
    expect(done.results[0].verdict).toBe('PASS');
    const real = heard.find((h) => h.topic === topic('cmd'))!.body;
    expect(verifyCommandSignature(real, secret)).toBe(true);

    const now = Date.now();
    const activate = (id: string, lifeMs = 60_000) => ({
      commandId: id, type: 'activate', pattern: 'test.short', exercise: false, timeScale: 0.2,
      issuedAt: new Date(now - 1000).toISOString(), expiresAt: new Date(now + lifeMs).toISOString(),
    });
    const forged: [Record<string, unknown>, string][] = [
      [activate(`unsigned-${tag}`), 'invalid'],
      [signCommand(activate(`badsig-${tag}`), 'a-guessed-secret-0000'), 'invalid'],
      [{ ...signCommand(activate(`altered-${tag}`), secret), pattern: 'cn.air-raid' }, 'invalid'],
      [signCommand(activate(`stale-${tag}`, -500), secret), 'expired'],
      [real, 'invalid'],
    ];
    for (const [cmd] of forged) await intruder.publishAsync(topic('cmd'), JSON.stringify(cmd), { qos: 1 });
    const acksOf = (id: unknown) => heard.filter((h) => h.topic === topic('ack') && h.body.commandId === id).map((h) => h.body);
    for (const [cmd, reason] of forged) {
      // The real command was acked once already, when the drill sent it.
      const count = cmd === real ? 2 : 1;
      const acks = await eventually(() => (acksOf(cmd.commandId).length >= count ? acksOf(cmd.commandId) : null), 10_000, `ack of ${cmd.commandId}`);
      expect([cmd.commandId, acks.at(-1)!.accepted, acks.at(-1)!.reason]).toEqual([cmd.commandId, false, reason]);
    }
    await new Promise((r) => setTimeout(r, 1_000)); // an activation would have started by now
    const started = heard.filter((h) => h.topic === topic('event') && h.body.type === 'activation.started');
    expect(started).toEqual([]);
    // The refused replay did not overwrite the centre's record of the real command's acceptance.
    const again = await svc.get(`/api/drills/${planned.body.id}`);
    expect(again.results[0].verdict).toBe('PASS');
    expect((await svc.get(`/api/sirens/${guarded.id}`)).mode).toBe('idle');
  });
});
