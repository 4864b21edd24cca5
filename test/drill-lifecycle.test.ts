import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulation, type SimulationHandle } from '../devices-sim/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { eventually, uniq } from './support/env.js';
import { TestMosquitto } from './support/mosquitto.js';
import { TestService } from './support/service.js';

const TIME_SCALE = 0.5;

/** Restart mid-drill, abort, and drills that start by themselves (the broker stays up: Mosquitto). */
describe('drill lifecycle', () => {
  const broker = new TestMosquitto();
  const tag = uniq().slice(0, 4);
  const fleet = demoCity(12).map((s) => ({ ...s, id: `${s.id}-${tag}` }));
  let svc: TestService;
  let sim: SimulationHandle;

  const drillOf = (id: string) => svc.get(`/api/drills/${id}`);
  async function plan(body: object): Promise<string> {
    const r = await svc.request('POST', '/api/drills', { body: { name: `d-${uniq()}`, scope: { sirenIds: fleet.map((s) => s.id) }, ackTimeoutS: 5, timeScale: TIME_SCALE, ...body } });
    expect(r.status).toBe(201);
    return r.body.id;
  }
  const completed = (id: string, timeoutMs = 60_000) => eventually(async () => ((await drillOf(id)).state === 'completed' ? drillOf(id) : null), timeoutMs, `drill ${id} completed`);

  beforeAll(async () => {
    await broker.start();
    svc = await TestService.start({ backend: 'embedded', mqttUrl: broker.url, env: { SIMULATION: 'true' } });
    await svc.request('POST', '/api/sirens/import', { body: registryToCsv(fleet), contentType: 'text/csv' });
    sim = await startSimulation({ url: broker.url, sirens: fleet, intervalS: 5, timeScale: TIME_SCALE, seed: 5, topicRoot: svc.topicRoot });
    await sim.allConnected();
    await eventually(async () => (await svc.get('/api/summary')).byHealth.ok === fleet.length, 15_000, 'fleet ok');
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
    await svc?.close();
    await broker.stop();
  });

  it('resumes a drill after the service restarts mid-pattern and still judges every siren', async () => {
    const id = await plan({ mode: 'audible', patterns: ['test.short', 'test.short'], gapS: 2 });
    await svc.request('POST', `/api/drills/${id}/start`);
    await eventually(async () => (await drillOf(id)).results.every((r: { verdict: string | null }) => r.verdict === null), 5_000, 'drill running');
    await new Promise((r) => setTimeout(r, 1_000)); // the sirens are sounding the first pattern now
    const { dataDir, topicRoot, clientId } = svc.options;
    await svc.close();
    await new Promise((r) => setTimeout(r, 1_500)); // reports arrive while the service is away
    svc = await TestService.start({ backend: 'embedded', mqttUrl: broker.url, dataDir, topicRoot, clientId, env: { SIMULATION: 'true' } });
    const done = await completed(id);
    expect(done.summary).toMatchObject({ pass: fleet.length, fail: 0 });
    expect(done.step).toBe(2);
  });

  it('aborts a running drill and tells the sounding sirens to stop', async () => {
    const id = await plan({ mode: 'audible', patterns: ['cn.all-clear'] });
    await svc.request('POST', `/api/drills/${id}/start`);
    await eventually(async () => sim.counters().sounding === fleet.length, 10_000, 'sirens sounding');
    const aborted = await svc.request('POST', `/api/drills/${id}/abort`);
    expect(aborted.body.state).toBe('aborted');
    await eventually(() => sim.counters().sounding === 0, 10_000, 'sirens stopped');
    const cancels = await svc.get('/api/audit?action=command.cancel');
    expect(cancels.filter((e: { detail: { drillId: string } }) => e.detail.drillId === id)).toHaveLength(fleet.length);
    expect((await svc.request('POST', `/api/drills/${id}/abort`)).status).toBe(409);
  });

  it('starts a planned drill at its scheduledAt, and validates repeating schedules', async () => {
    const id = await plan({ mode: 'silent', scheduledAt: new Date(Date.now() + 1_000).toISOString() });
    expect((await drillOf(id)).state).toBe('planned');
    const done = await completed(id, 30_000);
    expect(done.summary.pass).toBe(fleet.length);
    const bad = await svc.request('POST', '/api/drill-schedules', { body: { plan: { name: 'x', scope: { all: true }, mode: 'silent' }, cron: '0 25 * * *' } });
    expect(bad).toMatchObject({ status: 400, body: { message: 'cron: hour: "25" is outside 0–23' } });
    const ok = await svc.request('POST', '/api/drill-schedules', { body: { plan: { name: '9·18', scope: { all: true }, mode: 'audible', patterns: ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'] }, cron: '0 10 18 9 *', timeZone: 'Asia/Shanghai' } });
    expect(ok.status).toBe(201);
    expect(new Date(ok.body.nextRunAt).toISOString().slice(5, 16)).toBe('09-18T02:00');
  });
});
