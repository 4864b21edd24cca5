import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt from 'mqtt';
import { backends, eventually, externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { healthyStatus, SirenClient } from './support/siren-client.js';
import { streamUntil } from './support/stream.js';

describe.each(backends())('ingest end to end on %s servers', (backend) => {
  let svc: TestService;
  let dropDb: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl });
    await svc.register(['S-1', 'S-2', 'S-3', 'S-4']);
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
  });

  afterAll(async () => {
    await svc?.close();
    await dropDb?.();
  });

  it('turns a birth and a status into health on the API and a siren event on the stream', async () => {
    expect((await svc.get('/api/sirens/S-1')).health).toBe('unknown');
    const siren = new SirenClient(svc.mqttUrl, svc.topicRoot, 'S-1');
    const seen = streamUntil(svc, (e, d) => e === 'siren' && d.id === 'S-1' && d.health === 'fault');
    await siren.connect();
    await siren.status({ amplifiers: [true, false, true, true] });
    const { data } = await seen;
    expect(data).toMatchObject({ id: 'S-1', online: true, health: 'fault', activeFaults: ['AMPLIFIER_FAULT'] });
    const detail = await svc.get('/api/sirens/S-1');
    expect(detail).toMatchObject({ bootId: siren.bootId, lastSeq: 0, health: 'fault' });
    await siren.status();
    await eventually(async () => (await svc.get('/api/sirens/S-1')).health === 'ok', 5_000, 'amplifier fault to clear');
    const faults = await svc.get('/api/faults?sirenId=S-1');
    expect(faults).toEqual([expect.objectContaining({ type: 'AMPLIFIER_FAULT', state: 'cleared_unacked', severity: 'major' })]);
    await eventually(async () => (await svc.get('/api/sirens/S-1/history')).length === 2, 5_000, 'two history points');
    const history = await svc.get('/api/sirens/S-1/history');
    expect(history.map((p: { seq: number }) => p.seq)).toEqual([0, 1]);
    await siren.end();
  });

  it('counts duplicates and late messages without applying them, and quarantines bad input', async () => {
    const siren = new SirenClient(svc.mqttUrl, svc.topicRoot, 'S-2');
    await siren.connect();
    await siren.status();
    await siren.status({ batteryPct: 80 });
    siren.seq = 1;
    await siren.status({ batteryPct: 10 }); // same seq again: a duplicate, must not apply
    const oldBoot = siren.bootId;
    siren.bootId = 'boot-new';
    siren.seq = 0;
    await siren.status({ batteryPct: 70 });
    siren.bootId = oldBoot;
    siren.seq = 5;
    await siren.status({ batteryPct: 5 }); // from the earlier boot: late
    await siren.publish('status', '{not json');
    await siren.publish('status', { ...healthyStatus(), sirenId: 'S-3', bootId: 'x', seq: 1, ts: new Date().toISOString() });
    await siren.publish('status', { ...healthyStatus(), bootId: 'x', seq: 1, ts: new Date().toISOString(), batteryPct: 101 });
    await eventually(async () => (await svc.metric('sirenwatch_quarantined_total', 'reason="id-mismatch"')) >= 1, 5_000, 'quarantine');
    const s = await svc.get('/api/sirens/S-2');
    expect(s).toMatchObject({ batteryPct: 70, bootId: 'boot-new', lastSeq: 0, health: 'ok' });
    expect(await svc.metric('sirenwatch_messages_total', 'channel="status",result="duplicate"')).toBeGreaterThanOrEqual(1);
    expect(await svc.metric('sirenwatch_messages_total', 'channel="status",result="late"')).toBeGreaterThanOrEqual(1);
    expect(await svc.metric('sirenwatch_quarantined_total', 'reason="not-json"')).toBeGreaterThanOrEqual(1);
    expect(await svc.metric('sirenwatch_quarantined_total', 'reason="invalid"')).toBeGreaterThanOrEqual(1);
    const q = await eventually(async () => {
      const rows = await svc.get('/api/quarantine?reason=id-mismatch');
      return rows.length ? rows : null;
    }, 5_000, 'quarantine row');
    expect(q[0]).toMatchObject({ reason: 'id-mismatch', sirenId: 'S-2' });
    await siren.end();
  });

  it('raises UNREGISTERED_DEVICE once for an unknown id and keeps its traffic in quarantine', async () => {
    const stranger = new SirenClient(svc.mqttUrl, svc.topicRoot, 'NOT-REGISTERED-1');
    await stranger.connect();
    await stranger.status();
    await stranger.status();
    const faults = await eventually(async () => {
      const f = await svc.get('/api/faults?sirenId=NOT-REGISTERED-1');
      return f.length ? f : null;
    }, 5_000, 'unregistered fault');
    expect(faults).toEqual([expect.objectContaining({ type: 'UNREGISTERED_DEVICE', severity: 'minor' })]);
    expect(await svc.metric('sirenwatch_quarantined_total', 'reason="unregistered"')).toBeGreaterThanOrEqual(3);
    await stranger.end();
  });

  it('judges a siren offline by its will after the hold, and by silence after 3 intervals', async () => {
    const dying = new SirenClient(svc.mqttUrl, svc.topicRoot, 'S-3');
    await dying.connect();
    await dying.status();
    await eventually(async () => (await svc.get('/api/sirens/S-3')).health === 'ok', 5_000, 'S-3 ok');
    dying.kill();
    await eventually(async () => (await svc.get('/api/sirens/S-3')).health === 'offline', 10_000, 'S-3 offline by will');
    const quiet = new SirenClient(svc.mqttUrl, svc.topicRoot, 'S-4', 'b-q', 1);
    await quiet.connect();
    await quiet.status();
    await eventually(async () => (await svc.get('/api/sirens/S-4')).online === true, 5_000, 'S-4 online');
    const started = Date.now();
    await eventually(async () => (await svc.get('/api/sirens/S-4')).health === 'offline', 10_000, 'S-4 offline by silence');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    const offline = await svc.get('/api/faults?sirenId=S-4&state=active');
    expect(offline).toEqual([expect.objectContaining({ type: 'OFFLINE', severity: 'critical' })]);
    await quiet.end();
  });

  it('keeps registry and live state across a restart', async () => {
    const before = await svc.get('/api/sirens/S-2');
    const { dataDir, topicRoot, clientId } = svc.options;
    await svc.close();
    svc = await TestService.start({ backend, databaseUrl, dataDir, topicRoot, clientId });
    const after = await svc.get('/api/sirens/S-2');
    expect(after).toMatchObject({ bootId: before.bootId, lastSeq: before.lastSeq, batteryPct: before.batteryPct });
    expect((await svc.get('/api/sirens')).map((s: { id: string }) => s.id)).toEqual(['S-1', 'S-2', 'S-3', 'S-4']);
    expect((await svc.get('/api/faults?sirenId=NOT-REGISTERED-1')).length).toBe(1);
  });

  it('never retains what it publishes to sirens, and announces itself on server/availability', async () => {
    const probe = await mqtt.connectAsync(svc.mqttUrl, { clientId: `probe-${Date.now()}` });
    const got: { online: boolean }[] = [];
    probe.on('message', (_t, p) => got.push(JSON.parse(p.toString())));
    await probe.subscribeAsync(`${svc.topicRoot}/server/availability`, { qos: 1 });
    await eventually(() => got.length > 0, 5_000, 'server availability');
    expect(got[0]).toMatchObject({ online: true });
    await probe.endAsync();
  });
});
