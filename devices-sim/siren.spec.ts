import { describe, expect, it } from '@jest/globals';
import { findBuiltinPattern, parseSirenPayload } from '../src/protocol/index.js';
import type { SirenChannel } from '../src/protocol/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { seededRandom } from '../src/protocol/random.js';
import { ManualClock } from './clock.js';
import type { FaultSpec } from './fault-profile.js';
import { toSimSiren } from './fleet.js';
import type { SimSiren } from './fleet.js';
import { MemoryBroker } from './memory-link.js';
import { Siren } from './siren.js';
import type { SirenNotice } from './siren.js';

const root = 'sirenwatch/v1';
type Body = Record<string, unknown>;

function setup(opts: { faults?: FaultSpec[]; siren?: Partial<SimSiren>; timeScale?: number; intervalS?: number } = {}) {
  const clock = new ManualClock();
  const broker = new MemoryBroker();
  const notices: SirenNotice[] = [];
  const siren = new Siren({
    siren: { ...toSimSiren(demoCity(1)[0]), ...opts.siren },
    topicRoot: root,
    intervalS: opts.intervalS ?? 30,
    timeScale: opts.timeScale ?? 1,
    clock,
    random: seededRandom(1),
    connector: broker.connector,
    findPattern: findBuiltinPattern,
    notify: (n) => notices.push(n),
  });
  (opts.faults ?? []).forEach((fault, index) => siren.addFault({ index, fault }));
  const id = siren.id;
  const send = (extra: object) =>
    broker.deliver(id, `${root}/sirens/${id}/cmd`, {
      commandId: 'c-1', type: 'activate', pattern: 'test.short', exercise: true,
      issuedAt: new Date(clock.now()).toISOString(), expiresAt: new Date(clock.now() + 60_000).toISOString(), ...extra,
    });
  const bodies = (channel: string) => broker.on(channel).map((m) => m.body as Body);
  /** Every message but deliberately corrupted ones must pass the protocol's own validation. */
  const conforms = () => {
    for (const m of broker.messages) {
      const channel = m.topic.split('/').at(-1) as SirenChannel;
      const r = parseSirenPayload(channel, m.payload);
      if (!r.ok) throw new Error(`${m.topic} ${m.payload}: ${r.detail}`);
    }
  };
  return { clock, broker, siren, notices, id, send, bodies, conforms };
}

const seqs = (bodies: Body[]) => bodies.map((b) => b.seq);

describe('a healthy siren', () => {
  it('connects with its own id, will and subscriptions, sends a retained birth and a first status', async () => {
    const t = setup();
    expect(await t.siren.start()).toBe(true);
    const session = t.broker.sessions[0];
    expect(session.options).toMatchObject({
      clientId: t.id, username: t.id,
      will: { topic: `${root}/sirens/${t.id}/availability`, payload: '{"online":false,"bdSeq":0}' },
      subscriptions: [`${root}/sirens/${t.id}/cmd`, `${root}/server/availability`],
    });
    const [birth] = t.broker.on('availability');
    expect(birth.retain).toBe(true);
    expect(birth.body).toMatchObject({ online: true, bdSeq: 0, intervalS: 30, fw: '2.3.1', capabilities: ['tone'] });
    expect(t.bodies('status')).toHaveLength(1);
    expect(t.bodies('status')[0]).toMatchObject({ sirenId: t.id, bootId: (birth.body as Body).bootId, seq: 0, mode: 'idle', mains: true, charger: 'ok' });
    t.conforms();
  });

  it('reports every intervalS with drifting values and one rising seq', async () => {
    const t = setup({ intervalS: 10 });
    await t.siren.start();
    await t.clock.advance(60_000);
    const status = t.bodies('status');
    expect(seqs(status)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(status.map((s) => s.rssiDbm ?? s.batteryV)).size).toBeGreaterThan(1);
    for (const s of status) {
      expect(s.batteryPct).toBeGreaterThanOrEqual(95);
      expect(s.temperatureC).toBeGreaterThan(5);
      expect(s.temperatureC).toBeLessThan(35);
    }
    t.conforms();
  });

  it('says offline itself and disconnects cleanly on stop', async () => {
    const t = setup();
    await t.siren.start();
    await t.siren.stop();
    const availability = t.broker.on('availability');
    expect(availability.at(-1)).toEqual({ topic: expect.any(String), retain: true, body: { online: false, bdSeq: 0 } });
    expect(t.broker.sessions[0].ended).toBe('clean');
  });

  it('reconnects after a lost connection with the next bdSeq and the same boot', async () => {
    const t = setup();
    await t.siren.start();
    t.broker.drop(t.id);
    await t.clock.advance(2000);
    const births = t.broker.on('availability').filter((m) => (m.body as Body).online).map((m) => m.body as Body);
    expect(births.map((b) => b.bdSeq)).toEqual([0, 1]);
    expect(births[1].bootId).toBe(births[0].bootId);
    expect(t.broker.sessions[1].options.will.payload).toBe('{"online":false,"bdSeq":1}');
    expect(seqs(t.bodies('status'))).toEqual([0, 1]);
  });
});

describe('commands', () => {
  it('plays an activation: ack within 0.1–2 s, started, sounding, finished with measured periods, idle', async () => {
    const t = setup({ timeScale: 0.05 });
    await t.siren.start();
    const sentAt = t.clock.now();
    t.send({ timeScale: 0.05 });
    await t.clock.advance(2000);
    const [ack] = t.bodies('ack');
    expect(ack).toMatchObject({ commandId: 'c-1', accepted: true, reason: null });
    const ackDelay = Date.parse(ack.ts as string) - sentAt;
    expect(ackDelay).toBeGreaterThanOrEqual(100);
    expect(ackDelay).toBeLessThanOrEqual(2000);
    await t.clock.advance(5 * 0.05 * 1000);
    const events = t.bodies('event');
    expect(events.map((e) => e.type)).toEqual(['activation.started', 'activation.finished']);
    const finished = events[1];
    expect(finished).toMatchObject({ result: 'completed', pattern: 'test.short' });
    for (const s of finished.onSeconds as number[]) expect(Math.abs(s - 2) / 2).toBeLessThanOrEqual(0.02);
    expect(finished.soundDb).toBeGreaterThanOrEqual(100);
    expect(finished.soundDb).toBeLessThanOrEqual(112);
    expect(t.bodies('status').map((s) => s.mode)).toEqual(['idle', 'sounding', 'idle']);
    // One counter over status, ack and event.
    const all = [...t.bodies('status'), ack, ...events].map((b) => b.seq as number).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5]);
    t.conforms();
  });

  it('cancels a running activation', async () => {
    const t = setup();
    await t.siren.start();
    t.send({ pattern: 'cn.air-raid' });
    await t.clock.advance(2000 + 20_000);
    t.send({ commandId: 'c-2', type: 'cancel', pattern: undefined });
    await t.clock.advance(2000);
    const finished = t.bodies('event').find((e) => e.type === 'activation.finished')!;
    expect(finished.result).toBe('cancelled');
    expect((finished.onSeconds as number[]).length).toBeGreaterThanOrEqual(2);
    expect(t.bodies('status').at(-1)!.mode).toBe('idle');
  });

  it('refuses a second activation while busy, and anything in maintenance', async () => {
    const t = setup();
    await t.siren.start();
    t.send({});
    t.send({ commandId: 'c-2' });
    await t.clock.advance(2000);
    expect(t.bodies('ack').find((a) => a.commandId === 'c-2')).toMatchObject({ accepted: false, reason: 'busy' });
    await t.clock.advance(10_000);
    t.siren.setMaintenance(true);
    expect(t.bodies('status').at(-1)!.mode).toBe('maintenance');
    t.send({ commandId: 'c-3' });
    await t.clock.advance(2000);
    expect(t.bodies('ack').find((a) => a.commandId === 'c-3')).toMatchObject({ accepted: false, reason: 'maintenance' });
  });

  it('answers a silent test, a poll and a spoken message', async () => {
    const t = setup({ siren: { capabilities: ['tone', 'voice'] } });
    await t.siren.start();
    t.send({ type: 'silent-test', pattern: undefined });
    await t.clock.advance(6000);
    expect(t.bodies('event').at(-1)).toMatchObject({
      type: 'test.result', ok: true, amplifiers: [true, true, true, true], failures: [], speakerImpedanceOhm: expect.any(Array),
    });
    expect(t.bodies('status').map((s) => s.mode)).toEqual(['idle', 'testing', 'idle']);
    t.send({ commandId: 'c-2', type: 'poll', pattern: undefined });
    await t.clock.advance(2000);
    expect(t.bodies('status')).toHaveLength(4);
    t.send({ commandId: 'c-3', type: 'voice', pattern: undefined, messageId: 'm-1', text: '请注意，这是一次演习。', repeat: 2 });
    await t.clock.advance(20_000);
    const voice = t.bodies('event').filter((e) => String(e.type).startsWith('voice.'));
    expect(voice.map((e) => e.type)).toEqual(['voice.started', 'voice.finished']);
    expect(voice[1]).toMatchObject({ messageId: 'm-1', result: 'completed' });
    expect(voice[1].durationS).toBeGreaterThan(4);
    t.conforms();
  });

  it('rejects a spoken message on a tone-only siren', async () => {
    const t = setup();
    await t.siren.start();
    t.send({ type: 'voice', pattern: undefined, messageId: 'm-1', text: 'hello' });
    await t.clock.advance(2000);
    expect(t.bodies('ack')[0]).toMatchObject({ accepted: false, reason: 'invalid' });
  });
});

describe('faults', () => {
  it('offline: birth and one status, then the link dies and the will fires', async () => {
    const t = setup({ faults: [{ kind: 'offline', count: 1 }] });
    await t.siren.start();
    await t.clock.advance(120_000);
    expect(t.bodies('status')).toHaveLength(1);
    expect(t.broker.on('availability').map((m) => m.body)).toEqual([
      expect.objectContaining({ online: true, bdSeq: 0 }),
      { online: false, bdSeq: 0 },
    ]);
    expect(t.broker.sessions).toHaveLength(1);
    expect(t.broker.sessions[0].ended).toBe('will');
  });

  it('offline for a while, then back with the next bdSeq', async () => {
    const t = setup({ intervalS: 10 });
    await t.siren.start();
    const fault = { index: 0, fault: { kind: 'offline', count: 1, for: 30 } as FaultSpec };
    t.siren.addFault(fault);
    await t.clock.advance(30_000);
    t.siren.removeFault(fault);
    await t.clock.advance(1000);
    expect(t.broker.sessions.map((s) => s.ended ?? 'open')).toEqual(['will', 'open']);
    expect(t.broker.on('availability').filter((m) => (m.body as Body).online).map((m) => (m.body as Body).bdSeq)).toEqual([0, 1]);
  });

  it('reboot: a new bootId and seq from 0', async () => {
    const t = setup({ intervalS: 10 });
    await t.siren.start();
    await t.clock.advance(20_000);
    t.siren.addFault({ index: 0, fault: { kind: 'reboot', count: 1 } });
    await t.clock.advance(1500);
    const status = t.bodies('status');
    const boots = [...new Set(status.map((s) => s.bootId))];
    expect(boots).toHaveLength(2);
    expect(seqs(status.filter((s) => s.bootId === boots[1]))).toEqual([0]);
    expect(t.broker.sessions.map((s) => s.ended ?? 'open')).toEqual(['will', 'open']);
  });

  it('flapping: down and up every periodS', async () => {
    const t = setup({ faults: [{ kind: 'flapping', count: 1, periodS: 20 }] });
    await t.siren.start();
    await t.clock.advance(85_000);
    // Up 0–20 s, down 20–40, up 40–60, down 60–80, up from 80.
    expect(t.broker.sessions.map((s) => s.ended ?? 'open')).toEqual(['will', 'will', 'open']);
  });

  it('mains failure: off mains, charger off, the battery drains, faster while sounding', async () => {
    const t = setup({ faults: [{ kind: 'mains-failure', count: 1 }], intervalS: 60 });
    await t.siren.start();
    await t.clock.advance(3_600_000);
    const idle = t.bodies('status');
    expect(idle[0]).toMatchObject({ mains: false, charger: 'off' });
    const standbyDrop = (idle[0].batteryPct as number) - (idle.at(-1)!.batteryPct as number);
    expect(standbyDrop).toBeGreaterThan(0.5);
    expect(standbyDrop).toBeLessThan(3);
    const before = idle.at(-1)!.batteryPct as number;
    t.send({ pattern: 'us.alert', expiresAt: new Date(t.clock.now() + 60_000).toISOString() });
    await t.clock.advance(185_000);
    const soundingDrop = before - (t.bodies('status').at(-1)!.batteryPct as number);
    expect(soundingDrop).toBeGreaterThan(4 * standbyDrop * (3 / 60));
    t.conforms();
  });

  it('sound faults: no-sound reports 40 dB, a speaker fault fails', async () => {
    for (const [fault, expected] of [
      [{ kind: 'no-sound', count: 1 }, { result: 'completed', soundDb: 40 }],
      [{ kind: 'weak-sound', count: 1, soundDb: 82 }, { result: 'completed', soundDb: 82 }],
      [{ kind: 'speaker', count: 1 }, { result: 'failed', failure: 'speaker' }],
      [{ kind: 'amplifier', fraction: 1, count: 4 }, { result: 'failed', failure: 'amplifier' }],
    ] as [FaultSpec, Body][]) {
      const t = setup({ faults: [fault] });
      await t.siren.start();
      t.send({});
      await t.clock.advance(10_000);
      expect(t.bodies('event').at(-1)).toMatchObject({ type: 'activation.finished', ...expected });
    }
  });

  it('device faults show in status and in the silent test', async () => {
    const t = setup({ faults: [{ kind: 'amplifier', fraction: 1, count: 2 }, { kind: 'battery-low', count: 1 }, { kind: 'overtemp', count: 1 }, { kind: 'charger-fault', count: 1 }] });
    await t.siren.start();
    const [status] = t.bodies('status');
    expect((status.amplifiers as boolean[]).filter((a) => !a)).toHaveLength(2);
    expect(status.batteryPct).toBeLessThan(30);
    expect(status.temperatureC).toBeGreaterThan(70);
    expect(status.charger).toBe('fault');
    t.send({ type: 'silent-test', pattern: undefined });
    await t.clock.advance(6000);
    const result = t.bodies('event').at(-1)!;
    expect(result).toMatchObject({ type: 'test.result', ok: false });
    expect(result.failures).toEqual([expect.stringMatching(/^amplifier \d$/), expect.stringMatching(/^amplifier \d$/), expect.stringMatching(/^battery /)]);
  });

  it('door and tamper raise their events and show at once', async () => {
    const t = setup();
    await t.siren.start();
    const door = { index: 0, fault: { kind: 'door-open', count: 1 } as FaultSpec };
    t.siren.addFault(door);
    t.siren.addFault({ index: 1, fault: { kind: 'tamper', count: 1 } });
    t.siren.removeFault(door);
    expect(t.bodies('event').map((e) => e.type)).toEqual(['door.opened', 'tamper', 'door.closed']);
    expect(t.bodies('status').map((s) => s.doorOpen)).toEqual([false, true, true, false]);
  });

  it('clock skew: ts runs ahead and a fresh command is expired by its clock', async () => {
    const t = setup({ faults: [{ kind: 'clock-skew', count: 1, offsetS: 150 }] });
    await t.siren.start();
    expect(Date.parse(t.bodies('status')[0].ts as string) - t.clock.now()).toBe(150_000);
    t.send({});
    await t.clock.advance(2000);
    expect(t.bodies('ack')[0]).toMatchObject({ accepted: false, reason: 'expired' });
  });

  it('ack faults: none, late, rejected, and acked without a report', async () => {
    const noAck = setup({ faults: [{ kind: 'no-ack', count: 1 }] });
    await noAck.siren.start();
    noAck.send({});
    await noAck.clock.advance(60_000);
    expect(noAck.bodies('ack')).toEqual([]);
    expect(noAck.bodies('event')).toEqual([]);

    const slow = setup({ faults: [{ kind: 'slow-ack', count: 1, delayMs: 45_000 }] });
    await slow.siren.start();
    slow.send({});
    await slow.clock.advance(44_999);
    expect(slow.bodies('ack')).toEqual([]);
    await slow.clock.advance(1);
    expect(slow.bodies('ack')).toHaveLength(1);

    const reject = setup({ faults: [{ kind: 'reject', count: 1, reason: 'busy' }] });
    await reject.siren.start();
    reject.send({});
    await reject.clock.advance(10_000);
    expect(reject.bodies('ack')[0]).toMatchObject({ accepted: false, reason: 'busy' });
    expect(reject.bodies('event')).toEqual([]);

    const silent = setup({ faults: [{ kind: 'no-report', count: 1 }] });
    await silent.siren.start();
    silent.send({});
    await silent.clock.advance(60_000);
    expect(silent.bodies('ack')[0]).toMatchObject({ accepted: true });
    expect(silent.bodies('event')).toEqual([]);
  });

  it('pattern drift stretches every sounding period', async () => {
    const t = setup({ faults: [{ kind: 'pattern-drift', count: 1, factor: 1.5 }] });
    await t.siren.start();
    t.send({});
    await t.clock.advance(20_000);
    const finished = t.bodies('event').at(-1)!;
    for (const s of finished.onSeconds as number[]) expect(s).toBeCloseTo(3, 1);
  });
});

describe('wire faults on status messages', () => {
  it('lossy: that share never sent, its seq still used', async () => {
    const t = setup({ faults: [{ kind: 'lossy', count: 1, lossPct: 25 }], intervalS: 1 });
    await t.siren.start();
    await t.clock.advance(99_000);
    const s = seqs(t.bodies('status')) as number[];
    expect(s).toHaveLength(75);
    expect(s.at(-1)).toBeGreaterThanOrEqual(98);
  });

  it('duplicates: the same seq twice', async () => {
    const t = setup({ faults: [{ kind: 'duplicates', count: 1, pct: 50 }], intervalS: 1 });
    await t.siren.start();
    await t.clock.advance(9000);
    const s = seqs(t.bodies('status'));
    expect(s).toHaveLength(15);
    expect(new Set(s).size).toBe(10);
  });

  it('reorder: a status held back arrives right after the next one', async () => {
    const t = setup({ faults: [{ kind: 'reorder', count: 1, pct: 20 }], intervalS: 1 });
    await t.siren.start();
    await t.clock.advance(19_000);
    const s = seqs(t.bodies('status')) as number[];
    expect([...s].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const late = s.flatMap((x, i) => (i > 0 && x < s[i - 1] ? [[s[i - 1], x]] : []));
    // About 20 % of 20, and each late one right behind the one that overtook it.
    expect(late.length).toBeGreaterThanOrEqual(3);
    expect(late.length).toBeLessThanOrEqual(4);
    for (const [newer, older] of late) expect(older).toBe(newer - 1);
  });

  it('a status still held back goes out before the goodbye', async () => {
    const t = setup({ faults: [{ kind: 'reorder', count: 1, pct: 100 }] });
    await t.siren.start();
    expect(t.bodies('status')).toEqual([]);
    await t.siren.stop();
    expect(t.broker.messages.map((m) => m.topic.split('/').at(-1))).toEqual(['availability', 'status', 'availability']);
  });

  it('malformed: that share fails the protocol’s validation, its seq consumed', async () => {
    const t = setup({ faults: [{ kind: 'malformed', count: 1, pct: 50 }], intervalS: 1 });
    await t.siren.start();
    await t.clock.advance(19_000);
    const raw = t.broker.messages.filter((m) => m.topic.endsWith('/status'));
    const parsed = raw.map((m) => parseSirenPayload('status', m.payload));
    expect(parsed.filter((p) => !p.ok)).toHaveLength(10);
    expect(parsed.filter((p) => p.ok)).toHaveLength(10);
  });
});
