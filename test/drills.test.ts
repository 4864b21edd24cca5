import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulation, validateFaultProfile, type GroundTruth, type SimulationHandle } from '../devices-sim/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { backends, eventually, externalServers, uniq } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';

const TIME_SCALE = 0.02;
const ACK_TIMEOUT_S = 4;
const SEQUENCE_918 = ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'];

/** One fault kind per siren, chosen for the verdict it must give; the rest of the fleet is healthy. */
const KINDS: Record<string, unknown>[] = [
  { kind: 'offline' },
  { kind: 'no-ack' },
  { kind: 'slow-ack', delayMs: 1_500 }, // just inside the ack timeout
  { kind: 'slow-ack', delayMs: 6_000 }, // just outside
  { kind: 'reject', reason: 'busy' },
  { kind: 'no-report' },
  { kind: 'no-sound' },
  { kind: 'weak-sound', soundDb: 80 },
  { kind: 'pattern-drift', factor: 1.3 },
  { kind: 'speaker' },
  { kind: 'amplifier', count: 4 },
  { kind: 'battery-low' },
  { kind: 'clock-skew', offsetS: 200 },
  { kind: 'duplicates', pct: 50 },
  { kind: 'reorder', pct: 30 },
  { kind: 'mains-failure' },
];

/** Drills against the simulator: every siren's verdict must equal the ground truth's. */
describe.each(backends())('drills judged against the ground truth (%s)', (backend) => {
  const tag = uniq().slice(0, 4);
  const fleet = demoCity(30).map((s) => ({ ...s, id: `${s.id}-${tag}` }));
  let svc: TestService;
  let sim: SimulationHandle;
  let dropDb: (() => Promise<void>) | undefined;

  const truthOf = (mode: 'audible' | 'silent', truth: GroundTruth) => Object.fromEntries(fleet.map((s) => [s.id, truth.sirens[s.id].expectedVerdict?.[mode] ?? null]));

  async function runDrill(body: object): Promise<Record<string, string | null>> {
    const planned = await svc.request('POST', '/api/drills', { body });
    expect(planned.status).toBe(201);
    expect((await svc.request('POST', `/api/drills/${planned.body.id}/start`)).status).toBe(200);
    const done = await eventually(async () => {
      const d = await svc.get(`/api/drills/${planned.body.id}`);
      return d.state === 'completed' ? d : null;
    }, 90_000, 'drill to complete');
    expect(done.progress).toEqual({ total: fleet.length, done: fleet.length });
    return Object.fromEntries(done.results.map((r: { sirenId: string; verdict: string }) => [r.sirenId, r.verdict]));
  }

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl, env: { SIMULATION: 'true', DEFAULT_INTERVAL_S: '5' } });
    const imported = await svc.request('POST', '/api/sirens/import', { body: registryToCsv(fleet), contentType: 'text/csv' });
    expect(imported.body.rejected).toEqual([]);
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
    const profile = validateFaultProfile({ seed: 3, faults: KINDS.map((k, i) => ({ ...k, sirens: [fleet[i].id] })) });
    if (!profile.ok) throw new Error(profile.errors.join('; '));
    sim = await startSimulation({
      url: svc.mqttUrl,
      sirens: fleet,
      faults: profile.profile,
      intervalS: 5,
      timeScale: TIME_SCALE,
      seed: 3,
      topicRoot: svc.topicRoot,
      drillPatterns: SEQUENCE_918,
      ackTimeoutS: ACK_TIMEOUT_S,
    });
    await sim.allConnected();
    // The offline kind dies after its first status: wait until its will has been applied.
    await eventually(async () => {
      const { byHealth } = await svc.get('/api/summary');
      return byHealth.unknown === 0 && byHealth.offline === 1;
    }, 15_000, 'every siren heard from, the dead one offline');
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
    await svc?.close();
    await dropDb?.();
  });

  it('judges a 9·18 sequence siren by siren as the ground truth says', async () => {
    const verdicts = await runDrill({ name: `9·18 rehearsal ${tag}`, scope: { sirenIds: fleet.map((s) => s.id) }, mode: 'audible', patterns: SEQUENCE_918, gapS: 5, ackTimeoutS: ACK_TIMEOUT_S, timeScale: TIME_SCALE });
    expect(verdicts).toEqual(truthOf('audible', sim.groundTruth()));
  });

  it('judges a silent test siren by siren as the ground truth says', async () => {
    const verdicts = await runDrill({ name: `silent ${tag}`, scope: { sirenIds: fleet.map((s) => s.id) }, mode: 'silent', ackTimeoutS: ACK_TIMEOUT_S, timeScale: TIME_SCALE });
    expect(verdicts).toEqual(truthOf('silent', sim.groundTruth()));
  });

  it('refuses an operator, and a time scale without simulation is refused by the contract', async () => {
    await svc.request('POST', '/api/users', { body: { username: `op-${tag}`, password: 'operator-password-1', role: 'operator' } });
    const op = await svc.token(`op-${tag}`, 'operator-password-1');
    const res = await svc.request('POST', '/api/drills', { token: op, body: { name: 'x', scope: { all: true }, mode: 'silent' } });
    expect(res.status).toBe(403);
    const bad = await svc.request('POST', '/api/drills', { body: { name: 'x', scope: { all: true }, mode: 'audible', patterns: ['cn.nope'] } });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringContaining('patterns.0: unknown pattern "cn.nope"') } });
  });
});
