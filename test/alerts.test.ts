import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt from 'mqtt';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulation, type SimulationHandle } from '../devices-sim/index.js';
import { registryToCsv, type RegistryRow } from '../src/protocol/registry-format.js';
import { eventually, IN_CI } from './support/env.js';
import { TestService } from './support/service.js';

const SAMPLES = join(process.cwd(), '..', 'shared', 'cap-samples');
const INVALID = new Set(['invalid.cap', 'canada_errors.cap', 'noaa_errors.cap', 'xee.cap']);
const row = (id: string, districtCode: string, lat: number, lon: number): RegistryRow => ({ id, name: id, districtCode, districtName: districtCode === '360102' ? '东湖区' : '青山湖区', lat, lon });
// Around 八一广场 (28.682 N, 115.893 E): two in 东湖区 by the square, one 7.6 km north, one far east.
const FLEET = [row('AL-SQ1', '360102', 28.682, 115.893), row('AL-SQ2', '360102', 28.685, 115.9), row('AL-N', '360111', 28.75, 115.893), row('AL-E', '360111', 28.682, 116.2)];

function cap(o: { id: string; msgType?: string; status?: string; refs?: string; area: string; expires?: string; sent?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${o.id}</identifier><sender>cd@nanchang.gov.cn</sender>
<sent>${o.sent ?? '2026-11-30T10:00:00+08:00'}</sent><status>${o.status ?? 'Actual'}</status><msgType>${o.msgType ?? 'Alert'}</msgType><scope>Public</scope>${o.refs ? `<references>${o.refs}</references>` : ''}
<info><language>zh-CN</language><category>Safety</category><event>防空警报</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>${o.expires ? `<expires>${o.expires}</expires>` : ''}<headline>空袭预警</headline><area><areaDesc>test</areaDesc>${o.area}</area></info>
<info><language>en-US</language><category>Safety</category><event>Air raid</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty><area><areaDesc>test</areaDesc>${o.area}</area></info></alert>`;
}

describe('emergency alerts (CAP)', () => {
  let svc: TestService;
  let sim: SimulationHandle;
  const post = (xml: string | Buffer, headers: { token?: string | null } = {}) => svc.request('POST', '/api/alerts', { body: xml.toString(), contentType: 'application/cap+xml', ...headers });

  beforeAll(async () => {
    svc = await TestService.start({ backend: 'embedded' });
    await svc.request('POST', '/api/sirens/import', { body: registryToCsv(FLEET), contentType: 'text/csv' });
    sim = await startSimulation({ url: svc.mqttUrl, sirens: FLEET, intervalS: 5, topicRoot: svc.topicRoot, drillPatterns: ['test.short'] });
    await sim.allConnected();
    await eventually(async () => (await svc.get('/api/summary')).byHealth.ok === FLEET.length, 10_000, 'fleet ok');
  }, 30_000);

  afterAll(async () => {
    await sim?.stop();
    await svc?.close();
  });

  it('takes every valid shared sample and refuses every invalid one with its reason', async () => {
    const files = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.endsWith('.cap')) : [];
    if (IN_CI) expect(files.length).toBeGreaterThan(10);
    const stored = new Set<string>();
    for (const f of files) {
      const r = await svc.request('POST', '/api/alerts', { body: readFileSync(join(SAMPLES, f), 'latin1'), contentType: 'application/cap+xml' });
      if (INVALID.has(f)) expect([f, r.status, r.body.message]).toEqual([f, 400, expect.stringMatching(/^CAP: /)]);
      // A sample may repeat an earlier one's identity (sender, identifier, sent): then 200 with that alert.
      else expect([f, r.status === 201 || (r.status === 200 && stored.has(r.body.id))]).toEqual([f, true]);
      if (r.status === 201) stored.add(r.body.id);
    }
    expect(stored.size).toBeGreaterThanOrEqual(files.length ? files.length - INVALID.size - 1 : 0);
  });

  it('computes coverage for polygon, circle and geocode, and answers a repeat with the stored alert', async () => {
    const polygon = await post(cap({ id: 'A-POLY', area: '<polygon>28.66,115.87 28.70,115.87 28.70,115.92 28.66,115.92 28.66,115.87</polygon>' }));
    expect(polygon.status).toBe(201);
    expect(polygon.body.coverage).toEqual({ sirens: 2, ready: 2, notReady: [] });
    const circle = await post(cap({ id: 'A-CIRC', area: '<circle>28.682,115.893 8</circle>' }));
    expect(circle.body.coverage.sirens).toBe(3);
    const geo = await post(cap({ id: 'A-GEO', area: '<geocode><valueName>GB/T2260</valueName><value>360111</value></geocode>' }));
    expect(geo.body.coverage.sirens).toBe(2);
    const again = await post(cap({ id: 'A-GEO', area: '<geocode><valueName>GB/T2260</valueName><value>360111</value></geocode>' }));
    expect(again).toMatchObject({ status: 200, body: { id: geo.body.id } });
    expect((await svc.get(`/api/alerts/${geo.body.id}?lang=en`)).event).toBe('Air raid');
    expect((await svc.get(`/api/alerts/${geo.body.id}?lang=zh`)).event).toBe('防空警报');
  });

  it('supersedes on Update, cancels on Cancel, and expires', async () => {
    const first = await post(cap({ id: 'A-LIFE', area: '<circle>28.682,115.893 1</circle>' }));
    const ref = 'cd@nanchang.gov.cn,A-LIFE,2026-11-30T10:00:00+08:00';
    const update = await post(cap({ id: 'A-LIFE-2', msgType: 'Update', refs: ref, sent: '2026-11-30T10:05:00+08:00', area: '<circle>28.682,115.893 2</circle>' }));
    expect(update.status).toBe(201);
    expect((await svc.get(`/api/alerts/${first.body.id}`)).state).toBe('updated');
    await post(cap({ id: 'A-LIFE-3', msgType: 'Cancel', refs: 'cd@nanchang.gov.cn,A-LIFE-2,2026-11-30T10:05:00+08:00', sent: '2026-11-30T10:10:00+08:00', area: '' }));
    expect((await svc.get(`/api/alerts/${update.body.id}`)).state).toBe('cancelled');
    const soon = new Date(Date.now() + 1_500).toISOString().replace(/\.\d+Z$/, '+00:00');
    const expiring = await post(cap({ id: 'A-EXP', expires: soon, area: '<circle>28.682,115.893 1</circle>' }));
    expect(expiring.body.state).toBe('active');
    await eventually(async () => (await svc.get(`/api/alerts/${expiring.body.id}`)).state === 'expired', 10_000, 'alert expired');
  });

  it('refuses hostile and oversize documents quickly, storing nothing but quarantine', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i ? i : ''};`.repeat(10)}">`).join('')}]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&a9;</alert>`;
    const t = Date.now();
    const r = await post(bomb);
    expect(r).toMatchObject({ status: 400, body: { message: 'CAP: DOCTYPE and entity declarations are not allowed in CAP' } });
    expect(Date.now() - t).toBeLessThan(1_000);
    const huge = await svc.request('POST', '/api/alerts', { body: 'x'.repeat(3 * 1024 * 1024), contentType: 'application/cap+xml' });
    expect(huge.status).toBe(413);
    const q = await svc.get('/api/quarantine?reason=cap-invalid');
    expect(q.length).toBeGreaterThanOrEqual(1);
  });

  it('takes alerts from a feed with an API key and over MQTT', async () => {
    const key = await svc.request('POST', '/api/api-keys', { body: { name: 'city-feed', scope: 'alerts' } });
    const res = await fetch(`${svc.baseUrl}/api/alerts`, { method: 'POST', body: cap({ id: 'A-KEY', area: '<circle>28.682,115.893 1</circle>' }), headers: { 'content-type': 'application/cap+xml', 'x-api-key': key.body.key } });
    expect(res.status).toBe(201);
    const wrong = await fetch(`${svc.baseUrl}/api/alerts`, { method: 'POST', body: cap({ id: 'A-KEY2', area: '' }), headers: { 'content-type': 'application/cap+xml', 'x-api-key': 'nope' } });
    expect(wrong.status).toBe(401);
    const feed = await mqtt.connectAsync(svc.mqttUrl, { clientId: 'capfeed-test' });
    await feed.publishAsync(`${svc.topicRoot}/alerts/cap`, cap({ id: 'A-MQTT', area: '<circle>28.682,115.893 1</circle>' }), { qos: 1 });
    await feed.endAsync();
    await eventually(async () => (await svc.get('/api/alerts?active=true')).some((a: { identifier: string }) => a.identifier === 'A-MQTT'), 5_000, 'alert over MQTT');
  });

  it('sounds the covered sirens on confirmation and tracks each outcome', async () => {
    const test = await post(cap({ id: 'A-TEST', status: 'Test', area: '<circle>28.682,115.893 1</circle>' }));
    expect((await svc.request('POST', `/api/alerts/${test.body.id}/activate`, { body: { pattern: 'test.short' } })).status).toBe(409);
    const alert = await post(cap({ id: 'A-SOUND', status: 'Exercise', area: '<polygon>28.66,115.87 28.70,115.87 28.70,115.92 28.66,115.92 28.66,115.87</polygon>' }));
    const r = await svc.request('POST', `/api/alerts/${alert.body.id}/activate`, { body: { pattern: 'test.short' } });
    expect(r.status).toBe(200);
    expect(r.body.activation).toMatchObject({ pattern: 'test.short', state: 'running', exercise: true });
    const done = await eventually(async () => {
      const a = await svc.get(`/api/alerts/${alert.body.id}`);
      return a.activation.state === 'completed' ? a : null;
    }, 30_000, 'activation complete');
    expect(done.activation).toMatchObject({ sounded: 2, failed: 0 });
    const drill = await svc.get(`/api/drills/${done.activation.id}`);
    const truth = sim.groundTruth();
    for (const res of drill.results) expect(res.verdict).toBe(truth.sirens[res.sirenId].expectedVerdict!.audible);
    const audit = await svc.get('/api/audit?action=alert.activate');
    expect(audit[0]).toMatchObject({ actor: 'admin', target: alert.body.id });
  });
});
