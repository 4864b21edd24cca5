import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulation, validateFaultProfile, type GroundTruth, type SimulationHandle } from '../devices-sim/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { backends, eventually, externalServers, tempDir, uniq } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { ADMIN_PASSWORD, TestService } from './support/service.js';

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

  /** The engineers' check, as they run it: `npm run sim:compare` (built CLI) against this service. */
  function simCompare(truth: GroundTruth, drillId: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const file = join(tempDir(), 'ground-truth.json');
    writeFileSync(file, JSON.stringify(truth));
    const env = { ...process.env, SIRENWATCH_USERNAME: 'admin', SIRENWATCH_PASSWORD: ADMIN_PASSWORD };
    // Asynchronously: the service answering the CLI runs in this very process.
    return new Promise((resolve) => {
      const args = ['dist/devices-sim/compare-main.js', '--ground-truth', file, '--drill', drillId, '--url', svc.baseUrl];
      execFile(process.execPath, args, { env, timeout: 20_000 }, (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }));
    });
  }
  let lastDrillId = '';

  async function runDrill(body: object): Promise<Record<string, string | null>> {
    const planned = await svc.request('POST', '/api/drills', { body });
    expect(planned.status).toBe(201);
    expect((await svc.request('POST', `/api/drills/${planned.body.id}/start`)).status).toBe(200);
    const done = await eventually(async () => {
      const d = await svc.get(`/api/drills/${planned.body.id}`);
      return d.state === 'completed' ? d : null;
    }, 90_000, 'drill to complete');
    expect(done.progress).toEqual({ total: fleet.length, done: fleet.length });
    lastDrillId = planned.body.id;
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
    const agreeing = await simCompare(sim.groundTruth(), lastDrillId);
    expect(agreeing.stdout).toContain(`agreement: ${fleet.length} of ${fleet.length} sirens (100.0 %)`);
    expect(agreeing.status).toBe(0);
    const tampered = structuredClone(sim.groundTruth());
    tampered.sirens[fleet[20].id].expectedVerdict = { audible: 'FAIL_NO_SOUND', silent: 'PASS', voice: null };
    const disagreeing = await simCompare(tampered, lastDrillId);
    expect(disagreeing.status).toBe(1);
    expect(disagreeing.stdout).toContain(`DISAGREES ${fleet[20].id}: expected FAIL_NO_SOUND, drill says PASS`);
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
