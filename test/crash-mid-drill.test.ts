import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareWithGroundTruth } from '../devices-sim/compare.js';
import { startSimulation, validateFaultProfile, type SimulationHandle } from '../devices-sim/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { ChildService } from './support/child-service.js';
import { eventually, externalServers, tempDir, uniq } from './support/env.js';
import { TestMosquitto } from './support/mosquitto.js';
import { freshDatabase } from './support/postgres.js';

const TIME_SCALE = 0.05;
const PATTERNS = ['cn.air-raid', 'cn.all-clear']; // 9 s each at this scale
const ACK_TIMEOUT_S = 5;
const FAULTS = [
  { kind: 'no-ack' },
  { kind: 'reject', reason: 'busy' },
  { kind: 'no-sound' },
  { kind: 'weak-sound', soundDb: 80 },
  { kind: 'pattern-drift', factor: 1.5 },
  { kind: 'offline' },
];

/**
 * DESIGN.md "Nothing lost" for drills: the service is killed (-9) while the sirens sound the drill's
 * first pattern; restarted on the same DATA_DIR and database, it resumes the drill, sends no siren a
 * step twice, and its verdicts still agree with the simulator's ground truth.
 */
describe.each(externalServers() ? ['sqlite', 'postgres'] : ['sqlite'])('kill -9 mid-drill with %s', (db) => {
  const broker = new TestMosquitto();
  const tag = uniq().slice(0, 4);
  const fleet = demoCity(16).map((s) => ({ ...s, id: `${s.id}-${tag}` }));
  const accepted = new Map<string, string[]>();
  let svc: ChildService;
  let sim: SimulationHandle;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    await broker.start();
    const env: Record<string, string> = { MQTT_URL: broker.url, DATA_DIR: tempDir(), MQTT_CLIENT_ID: `drillkill-${uniq()}`, SIMULATION: 'true', DEFAULT_INTERVAL_S: '2' };
    if (db === 'postgres') ({ url: env.DATABASE_URL, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await ChildService.create(env);
    await svc.start();
    await svc.request('POST', '/api/sirens/import', { body: registryToCsv(fleet), contentType: 'text/csv' });
    const checked = validateFaultProfile({ seed: 3, faults: FAULTS.map((f, i) => ({ ...f, sirens: [fleet[i * 2].id] })) });
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    sim = await startSimulation({
      url: broker.url, sirens: fleet, faults: checked.profile, intervalS: 2, timeScale: TIME_SCALE, seed: 4,
      drillPatterns: PATTERNS, ackTimeoutS: ACK_TIMEOUT_S,
      onEvent: (e) => {
        if (e.type === 'command' && e.accepted && e.commandId) accepted.set(e.sirenId, [...(accepted.get(e.sirenId) ?? []), e.commandId]);
      },
    });
    await sim.allConnected();
    await eventually(async () => (await svc.get('/api/summary')).byHealth.offline === 1 && (await svc.get('/api/summary')).byHealth.ok === fleet.length - 1, 20_000, 'fleet judged');
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
    await svc?.stop();
    await broker.stop();
    await dropDb?.();
  });

  it('resumes after kill -9, sends no step twice, and agrees with the ground truth', async () => {
    const planned = await svc.request('POST', '/api/drills', {
      body: { name: `crash-${tag}`, scope: { sirenIds: fleet.map((s) => s.id) }, mode: 'audible', patterns: PATTERNS, gapS: 20, ackTimeoutS: ACK_TIMEOUT_S, timeScale: TIME_SCALE },
    });
    expect(planned.status).toBe(201);
    await svc.request('POST', `/api/drills/${planned.body.id}/start`);
    await eventually(() => sim.counters().sounding >= 10, 10_000, 'sirens sounding the first pattern');
    await svc.kill9();
    await new Promise((r) => setTimeout(r, 2_000)); // acks and reports pile up at the broker meanwhile
    await svc.start();
    const done = await eventually(async () => {
      const d = await svc.get(`/api/drills/${planned.body.id}`);
      return d.state === 'completed' ? d : null;
    }, 60_000, 'drill completed after restart');

    expect(done.step).toBe(PATTERNS.length);
    expect(done.results.map((r: { sirenId: string }) => r.sirenId).sort()).toEqual(fleet.map((s) => s.id).sort());
    const c = compareWithGroundTruth(sim.groundTruth(), 'audible', done.results);
    expect(c.disagreements).toEqual([]);
    expect(c.agreed).toBe(fleet.length);
    expect(c.byVerdict.PASS.actual).toBe(fleet.length - FAULTS.length);
    // Exactly one accepted activation per step for every siren that takes commands at all.
    const refusing = new Set(['no-ack', 'reject', 'offline'].map((kind) => fleet[FAULTS.findIndex((f) => f.kind === kind) * 2].id));
    const takers = fleet.filter((s) => !refusing.has(s.id));
    expect(takers.map((s) => [s.id, accepted.get(s.id)?.length])).toEqual(takers.map((s) => [s.id, PATTERNS.length]));
  }, 120_000);
});
