import { describe, expect, it } from '@jest/globals';
import { demoCity } from '../src/protocol/demo-city.js';
import { ManualClock } from './clock.js';
import type { FaultProfile } from './fault-profile.js';
import { MemoryBroker } from './memory-link.js';
import { BrokerUnreachableError, SimulationConfigError, startSimulation } from './simulation.js';
import type { SimulationOptions } from './simulation.js';

const profile: FaultProfile = {
  seed: 7,
  faults: [
    { kind: 'offline', sirens: ['NC-02-001'] },
    { kind: 'mains-failure', district: '360104', count: 2, at: 10, for: 20 },
  ],
};

function options(over: Partial<SimulationOptions> = {}) {
  const clock = new ManualClock();
  const broker = new MemoryBroker();
  const opts: SimulationOptions = {
    url: 'mqtt://memory', sirens: demoCity(12, 1), faults: profile, intervalS: 5, clock, connector: broker.connector,
    generatedAt: '2026-01-01T00:00:00.000Z', ...over,
  };
  return { clock, broker, opts };
}

describe('startSimulation', () => {
  it('brings the fleet up at the connect rate and counts what it sent', async () => {
    const { clock, broker, opts } = options({ connectRatePerS: 10 });
    const sim = await startSimulation(opts);
    expect(sim.counters().everConnected).toBe(1);
    await clock.advance(1200);
    await sim.allConnected();
    const c = sim.counters();
    expect(c).toMatchObject({ sirens: 12, everConnected: 12, connected: 11, drops: 1, faultsInjected: 1 });
    expect(c.sent.availability).toBe(12);
    expect(c.sentTotal).toBe(broker.messages.length - 1);
    await sim.stop();
  });

  it('makes a seeded share of the fleet multimedia: they announce voice and have a voice verdict', async () => {
    const { clock, broker, opts } = options({ sirens: demoCity(40, 1), voiceShare: 0.5, faults: { faults: [] } });
    const sim = await startSimulation(opts);
    await clock.advance(1000);
    await sim.allConnected();
    const speaking = broker.on('availability').filter((m) => (m.body as { capabilities?: string[] }).capabilities?.includes('voice')).map((m) => m.topic.split('/').at(-2));
    expect(speaking.length).toBeGreaterThan(10);
    expect(speaking.length).toBeLessThan(30);
    const gt = sim.groundTruth();
    expect(Object.keys(gt.sirens).filter((id) => gt.sirens[id].expectedVerdict?.voice === 'PASS').sort()).toEqual([...speaking].sort());
    await sim.stop();
    await expect(startSimulation(options({ voiceShare: 2 }).opts)).rejects.toThrow('voiceShare: must be from 0 to 1');
  });

  it('injects faults at `at` and ends them after `for`', async () => {
    const { clock, broker, opts } = options();
    const sim = await startSimulation(opts);
    const mainsOf = () => broker.on('status').filter((m) => m.topic.includes('NC-03-')).map((m) => (m.body as { mains: boolean }).mains);
    await clock.advance(9000);
    expect(mainsOf().every(Boolean)).toBe(true);
    await clock.advance(1000);
    expect(mainsOf().filter((m) => !m)).toHaveLength(2);
    await clock.advance(20_000);
    expect(mainsOf().slice(-2)).toEqual([true, true]);
    expect(sim.counters().faultsInjected).toBe(3);
    await sim.stop();
  });

  it('gives the ground truth for every siren, with the profile’s seed', async () => {
    const { opts } = options();
    const sim = await startSimulation(opts);
    const gt = sim.groundTruth();
    expect(gt.seed).toBe(7);
    expect(gt.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(Object.keys(gt.sirens)).toHaveLength(12);
    expect(gt.sirens['NC-02-001']).toEqual({ faults: ['offline'], expectedHealth: 'offline', expectedVerdict: { audible: 'FAIL_OFFLINE', silent: 'FAIL_OFFLINE', voice: null } });
    await sim.stop();
    const again = await startSimulation(options().opts);
    expect(JSON.stringify(again.groundTruth())).toBe(JSON.stringify(gt));
    await again.stop();
  });

  it('stops cleanly: every connected siren says offline itself', async () => {
    const { clock, broker, opts } = options();
    const sim = await startSimulation(opts);
    await clock.advance(2000);
    await sim.stop();
    const last = new Map<string, unknown>();
    for (const m of broker.on('availability')) last.set(m.topic, m.body);
    expect(last.size).toBe(12);
    for (const body of last.values()) expect(body).toMatchObject({ online: false });
    expect(broker.sessions.filter((s) => s.ended === 'clean')).toHaveLength(11);
  });

  it('puts a siren into maintenance', async () => {
    const { clock, broker, opts } = options();
    const sim = await startSimulation(opts);
    await clock.advance(2000);
    sim.setMaintenance('NC-01-002', true);
    expect(broker.on('status', 'NC-01-002').at(-1)!.body).toMatchObject({ mode: 'maintenance' });
    expect(() => sim.setMaintenance('NC-99-001', true)).toThrow('unknown siren NC-99-001');
    await sim.stop();
  });

  it('fails fast when the broker cannot be reached', async () => {
    const { broker, opts } = options();
    broker.refuse = 'connect ECONNREFUSED 127.0.0.1:1883';
    await expect(startSimulation(opts)).rejects.toThrow(BrokerUnreachableError);
    await expect(startSimulation(opts)).rejects.toThrow('cannot reach the MQTT broker at mqtt://memory: connect ECONNREFUSED 127.0.0.1:1883');
  });

  it('refuses bad options and a profile that does not fit the fleet', async () => {
    const bad = options({ intervalS: 0.5, timeScale: 2, topicRoot: 'a/#', sirens: [], drillPatterns: ['xx'] }).opts;
    await expect(startSimulation(bad)).rejects.toMatchObject({
      errors: [
        'intervalS: a whole number of seconds, 1–86400',
        'timeScale: must be > 0 and ≤ 1',
        'topicRoot: must be a topic without wildcards or leading/trailing "/"',
        'the fleet has no sirens',
        'drillPatterns: unknown pattern "xx"',
      ],
    });
    const misfit = options({ faults: { faults: [{ kind: 'offline', sirens: ['NC-09-009'] }] } }).opts;
    await expect(startSimulation(misfit)).rejects.toThrow(SimulationConfigError);
  });
});
