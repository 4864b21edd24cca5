import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { backends, eventually, externalServers } from './support/env.js';
import { FleetPublisher } from './support/fleet-publisher.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
const POWER_DISTRICT = ids('PW', 50);
const COMMS_FLEET = ids('CM', 50);

/** Issue 4's operator scenarios on real servers: flapping, shelving, maintenance, floods, audit. */
describe.each(backends())('fault handling for duty operators (%s)', (backend) => {
  let svc: TestService;
  let fleet: FleetPublisher;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl, env: { WILL_HOLD_S: '0.1', FAULT_FLAP_HOLDOFF_S: '60' } });
    await svc.register(['F-1', 'M-1', 'A-1']);
    await svc.register(POWER_DISTRICT, '360104');
    await svc.register(COMMS_FLEET, '360111');
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
    fleet = await FleetPublisher.connect(svc.mqttUrl, svc.topicRoot);
  });

  afterAll(async () => {
    await fleet?.end();
    await svc?.close();
    await dropDb?.();
  });

  const health = async (id: string) => (await svc.get(`/api/sirens/${id}`)).health;

  it('keeps one fault for a flapping link: six drops in a minute re-open it five times', async () => {
    const siren = new SirenClient(svc.mqttUrl, svc.topicRoot, 'F-1');
    for (let drop = 0; drop < 6; drop++) {
      await siren.connect();
      await eventually(async () => (await health('F-1')) === 'ok', 5_000, 'F-1 back');
      siren.kill();
      await eventually(async () => (await health('F-1')) === 'offline', 5_000, 'F-1 dropped');
    }
    const faults = await svc.get('/api/faults?sirenId=F-1&state=all');
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ type: 'OFFLINE', state: 'active_unacked', flapCount: 5 });
  });

  it('takes a shelved fault off the alarm list until the shelf expires, and audits it', async () => {
    await fleet.birth(['A-1']);
    await fleet.status(['A-1'], { doorOpen: true });
    const [fault] = await eventually(async () => {
      const f = await svc.get('/api/faults?sirenId=A-1&annunciated=true');
      return f.length ? f : null;
    }, 5_000, 'door fault annunciated');
    const shelved = await svc.request('POST', `/api/faults/${fault.id}/shelve`, { body: { minutes: 0.05, note: 'technician on site' } });
    expect(shelved.status).toBe(200);
    expect(shelved.body).toMatchObject({ state: 'active_unacked', annunciated: false });
    expect(await health('A-1')).toBe('degraded');
    expect(await svc.get('/api/faults?sirenId=A-1&annunciated=true')).toEqual([]);
    await eventually(async () => (await svc.get('/api/faults?sirenId=A-1&annunciated=true')).length === 1, 8_000, 'shelf to expire');
    const ack = await svc.request('POST', `/api/faults/${fault.id}/ack`, { body: { note: 'door latch replaced' } });
    expect(ack.body).toMatchObject({ state: 'active_acked', ackedBy: 'admin', note: 'door latch replaced' });
    await fleet.status(['A-1']);
    await eventually(async () => (await svc.get('/api/faults?sirenId=A-1&state=all'))[0].state === 'closed', 5_000, 'fault closed');
    const audit = await svc.get('/api/audit?actor=admin');
    const mine = audit.filter((e: { target: string }) => e.target === fault.id);
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual(['fault.ack', 'fault.shelve']);
    expect(mine.find((e: { action: string }) => e.action === 'fault.shelve').detail).toMatchObject({ note: 'technician on site', minutes: 0.05 });
    expect((await svc.request('POST', `/api/faults/${fault.id}/ack`, { body: {} })).status).toBe(409);
  });

  it('raises nothing new for a siren in maintenance', async () => {
    await fleet.birth(['M-1']);
    await fleet.status(['M-1']);
    await eventually(async () => (await health('M-1')) === 'ok', 5_000, 'M-1 ok');
    expect((await svc.request('PUT', '/api/sirens/M-1/maintenance', { body: { on: true, note: 'battery swap' } })).status).toBe(200);
    await fleet.status(['M-1'], { batteryPct: 5, doorOpen: true, mains: false });
    await eventually(async () => (await svc.get('/api/sirens/M-1')).batteryPct === 5, 5_000, 'status applied');
    expect(await health('M-1')).toBe('maintenance');
    expect(await svc.get('/api/faults?sirenId=M-1&state=all')).toEqual([]);
    await svc.request('PUT', '/api/sirens/M-1/maintenance', { body: { on: false } });
    await eventually(async () => (await health('M-1')) === 'fault', 5_000, 'faults once out of maintenance');
    const audit = await svc.get('/api/audit?action=siren.maintenance.on');
    expect(audit[0]).toMatchObject({ actor: 'admin', target: 'M-1', detail: { note: 'battery swap' } });
  });

  it('makes a district power cut of 50 sirens one power incident with at most a few lines', async () => {
    await fleet.birth(POWER_DISTRICT);
    await fleet.status(POWER_DISTRICT);
    await eventually(async () => (await svc.get('/api/sirens?district=360104&health=ok')).length === 50, 10_000, 'district ok');
    const before = await svc.metric('sirenwatch_annunciations_total', 'kind="fault"');
    await fleet.status(POWER_DISTRICT, { mains: false });
    const incident = await eventually(async () => {
      const open = await svc.get('/api/incidents');
      const power = open.find((i: { kind: string; sirenCount: number }) => i.kind === 'power' && i.sirenCount === 50);
      return power ?? null;
    }, 10_000, 'one power incident of 50 sirens');
    expect(incident).toMatchObject({ districtCode: '360104', districtName: '东湖区', closedAt: null });
    expect((await svc.get('/api/incidents')).filter((i: { kind: string }) => i.kind === 'power')).toHaveLength(1);
    const lines = (await svc.get('/api/faults?district=360104&annunciated=true')).length;
    expect(lines).toBe(0);
    expect((await svc.metric('sirenwatch_annunciations_total', 'kind="fault"')) - before).toBeLessThanOrEqual(4);
    const ack = await svc.request('POST', `/api/incidents/${incident.id}/ack`, { body: { note: 'grid operator informed' } });
    expect(ack.body.faultsAcknowledged).toBe(50);
    await fleet.status(POWER_DISTRICT);
    await eventually(async () => (await svc.get('/api/incidents?state=all')).find((i: { id: string }) => i.id === incident.id)?.closedAt, 10_000, 'incident closed');
  });

  it('makes 80 % of a fleet dropping at once one comms incident', async () => {
    await fleet.birth(COMMS_FLEET);
    await fleet.status(COMMS_FLEET);
    await eventually(async () => (await svc.get('/api/sirens?district=360111&health=ok')).length === 50, 10_000, 'fleet ok');
    await fleet.offline(COMMS_FLEET.slice(0, 40));
    const comms = await eventually(async () => {
      const c = (await svc.get('/api/incidents')).filter((i: { kind: string }) => i.kind === 'comms');
      return c.length && c[0].sirenCount >= 40 ? c : null;
    }, 10_000, 'comms incident');
    expect(comms).toHaveLength(1);
    expect(comms[0].districtCode).toBeNull();
    const lines = (await svc.get('/api/faults?district=360111&annunciated=true')).length;
    expect(lines).toBe(0);
  });
});
