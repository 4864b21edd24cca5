/**
 * The simulator on a real MQTT broker (aedes on a loopback port), watched by a plain mqtt.js
 * client: what PROTOCOL.md says must be on the wire is on the wire. Also the CLI's exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Aedes } from 'aedes';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { parseSirenPayload } from '../src/protocol/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { startSimulation } from '../devices-sim/index.js';
import type { FaultProfile, SimulationHandle } from '../devices-sim/index.js';

const MAIN = 'dist/devices-sim/main.js';

interface Seen {
  at: number;
  topic: string;
  text: string;
  retain: boolean;
}

let broker: Aedes;
let server: Server;
let url: string;

function listen(s: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
}

/** Polls until `check` holds; every wait is bounded. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function observe(root: string): Promise<{ client: MqttClient; seen: Seen[] }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `observer-${root.replace(/\W/g, '-')}` });
  const seen: Seen[] = [];
  client.on('message', (topic, payload, packet) => seen.push({ at: Date.now(), topic, text: payload.toString(), retain: packet.retain }));
  await client.subscribeAsync(`${root}/#`, { qos: 1 });
  return { client, seen };
}

function run(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer(broker.handle);
  url = `mqtt://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => broker.close(() => resolve()));
});

describe('20 simulated sirens on a broker', () => {
  const root = 'simtest/v1';
  const profile: FaultProfile = {
    seed: 11,
    faults: [
      { kind: 'offline', sirens: ['NC-01-001'] },
      { kind: 'duplicates', sirens: ['NC-02-001'], pct: 100 },
      { kind: 'malformed', sirens: ['NC-03-001'], pct: 100 },
      { kind: 'mains-failure', district: '360111', count: 2 },
      { kind: 'clock-skew', sirens: ['NC-05-001'], offsetS: 300 },
      { kind: 'no-sound', sirens: ['NC-06-001'] },
    ],
  };
  let sim: SimulationHandle;
  let watch: { client: MqttClient; seen: Seen[] };
  const on = (id: string, channel: string) => watch.seen.filter((m) => m.topic === `${root}/sirens/${id}/${channel}`);
  const json = (m: Seen) => JSON.parse(m.text) as Record<string, unknown>;
  const command = (id: string, extra: object) => {
    const now = Date.now();
    return watch.client.publishAsync(`${root}/sirens/${id}/cmd`, JSON.stringify({
      commandId: `cmd-${id}`, type: 'activate', exercise: true, timeScale: 0.05,
      issuedAt: new Date(now).toISOString(), expiresAt: new Date(now + 60_000).toISOString(), ...extra,
    }), { qos: 1 });
  };

  beforeAll(async () => {
    watch = await observe(root);
    sim = await startSimulation({ url, sirens: demoCity(20, 1), faults: profile, intervalS: 1, timeScale: 0.05, seed: 3, topicRoot: root });
    await sim.allConnected();
  }, 20_000);

  afterAll(async () => {
    await sim?.stop();
    await watch?.client.endAsync();
  });

  it('every siren sends a retained birth and statuses that pass validation', async () => {
    await waitFor('two statuses from every healthy siren', () => sim.sirenIds.filter((id) => id !== 'NC-01-001').every((id) => on(id, 'status').length >= 2));
    for (const id of sim.sirenIds) {
      const [birth] = on(id, 'availability');
      expect(json(birth)).toMatchObject({ online: true, bdSeq: 0, intervalS: 1 });
      expect(parseSirenPayload('availability', birth.text).ok).toBe(true);
      if (id === 'NC-03-001') continue;
      for (const s of on(id, 'status')) expect(parseSirenPayload('status', s.text)).toMatchObject({ ok: true });
    }
  });

  it('an offline siren sends its birth and one status, then its will fires', async () => {
    await waitFor('the will of NC-01-001', () => on('NC-01-001', 'availability').length >= 2);
    expect(on('NC-01-001', 'availability').map(json)).toEqual([expect.objectContaining({ online: true, bdSeq: 0 }), { online: false, bdSeq: 0 }]);
    expect(on('NC-01-001', 'status')).toHaveLength(1);
  });

  it('duplicates repeat a seq, malformed statuses fail parsing, mains failures show', async () => {
    await waitFor('three statuses of NC-02-001 and NC-03-001', () => on('NC-02-001', 'status').length >= 6 && on('NC-03-001', 'status').length >= 3);
    const dupSeqs = on('NC-02-001', 'status').map((m) => json(m).seq);
    expect(dupSeqs.slice(0, 6)).toEqual([0, 0, 1, 1, 2, 2]);
    for (const m of on('NC-03-001', 'status')) expect(parseSirenPayload('status', m.text).ok).toBe(false);
    const offMains = sim.sirenIds.filter((id) => id.startsWith('NC-04-') && on(id, 'status').some((m) => json(m).mains === false));
    expect(offMains).toHaveLength(2);
  });

  it('plays a compressed activation and reports onSeconds within ±2 %', async () => {
    await command('NC-02-002', { pattern: 'de.warning' });
    await command('NC-02-003', { pattern: 'cn.air-raid' });
    await waitFor('both activations to finish', () => ['NC-02-002', 'NC-02-003'].every((id) => on(id, 'event').some((m) => json(m).type === 'activation.finished')), 20_000);
    for (const [id, seconds, periods] of [['NC-02-002', 60, 1], ['NC-02-003', 6, 15]] as const) {
      expect(json(on(id, 'ack')[0])).toMatchObject({ commandId: `cmd-${id}`, accepted: true, reason: null });
      const [started, finished] = on(id, 'event');
      const report = json(finished);
      expect(report).toMatchObject({ type: 'activation.finished', result: 'completed' });
      const onSeconds = report.onSeconds as number[];
      expect(onSeconds).toHaveLength(periods);
      for (const s of onSeconds) expect(Math.abs(s - seconds) / seconds).toBeLessThanOrEqual(0.02);
      expect(report.soundDb).toBeGreaterThanOrEqual(100);
      // The wall time follows the pattern × timeScale.
      const expectedMs = (id === 'NC-02-002' ? 60 : 15 * 6 + 14 * 6) * 50;
      expect(Math.abs(finished.at - started.at - expectedMs)).toBeLessThan(expectedMs * 0.1 + 100);
    }
  }, 30_000);

  it('a skewed clock rejects as expired; a blocked horn reports 40 dB', async () => {
    await command('NC-05-001', { pattern: 'test.short' });
    await command('NC-06-001', { pattern: 'test.short' });
    await waitFor('the skewed ack and the no-sound report', () => on('NC-05-001', 'ack').length === 1 && on('NC-06-001', 'event').length === 2);
    expect(json(on('NC-05-001', 'ack')[0])).toMatchObject({ accepted: false, reason: 'expired' });
    expect(json(on('NC-06-001', 'event')[1])).toMatchObject({ result: 'completed', soundDb: 40 });
    expect(Date.parse(json(on('NC-05-001', 'status')[0]).ts as string) - on('NC-05-001', 'status')[0].at).toBeGreaterThan(295_000);
  });

  it('stops cleanly: every siren’s retained availability says offline', async () => {
    await sim.stop();
    const after = await observe(root);
    try {
      await waitFor('20 retained availability messages', () => after.seen.filter((m) => m.topic.endsWith('/availability')).length >= 20, 5000);
      const retained = after.seen.filter((m) => m.topic.endsWith('/availability'));
      expect(retained.every((m) => m.retain && json(m).online === false)).toBe(true);
      expect(retained).toHaveLength(20);
    } finally {
      await after.client.endAsync();
    }
    expect(sim.counters()).toMatchObject({ connected: 0, everConnected: 20, drops: 1 });
  });
});

describe('the command line', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
  });

  it('exits 1 with a clear message when the broker cannot be reached', async () => {
    const probe = createServer();
    const closedPort = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = Date.now();
    const r = await run(['--url', `mqtt://127.0.0.1:${closedPort}`, '--sirens', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the MQTT broker at mqtt://127.0.0.1:${closedPort}`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('exits 2 naming the field of a bad fault profile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-'));
    const file = join(dir, 'faults.json');
    await writeFile(file, JSON.stringify({ faults: [{ kind: 'offline', count: 1 }, { kind: 'lossy', count: 1, lossPct: 5 }, { kind: 'nosound', count: 1 }] }));
    const r = await run(['--url', url, '--faults', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[2].kind: unknown kind "nosound"');
  });

  it('writes the same ground truth for the same seed, and stops cleanly on --duration and on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-'));
    const faults = join(dir, 'faults.json');
    await writeFile(faults, JSON.stringify({ faults: [{ kind: 'no-sound', fraction: 0.2 }, { kind: 'offline', count: 2 }, { kind: 'flapping', count: 1, periodS: 5 }] }));
    const args = (n: number) => ['--url', url, '--sirens', '30', '--seed', '5', '--faults', faults, '--interval', '1', '--topic-root', `cli${n}`, '--ground-truth', join(dir, `gt${n}.json`)];
    const first = await run([...args(1), '--duration', '1.5']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('stopped cleanly');

    const second = spawn(process.execPath, [MAIN, ...args(2)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    second.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => second.on('exit', (code) => resolve(code)));
    try {
      await waitFor('the ground truth of the second run', () => out.includes('ground truth written'));
      second.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      second.kill('SIGKILL');
    }
    const [a, b] = await Promise.all([readFile(join(dir, 'gt1.json'), 'utf8'), readFile(join(dir, 'gt2.json'), 'utf8')]);
    const withoutTime = (text: string) => text.replace(/"generatedAt": "[^"]*"/, '');
    expect(withoutTime(b)).toBe(withoutTime(a));
    expect(Object.keys(JSON.parse(a).sirens)).toHaveLength(30);

    const fixed = ['--generated-at', '2026-01-01T00:00:00Z', '--duration', '0.5'];
    await run([...args(3), ...fixed]);
    await run([...args(4), ...fixed]);
    const [c, d] = await Promise.all([readFile(join(dir, 'gt3.json')), readFile(join(dir, 'gt4.json'))]);
    expect(d.equals(c)).toBe(true);
  }, 40_000);
});
