import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { describeIssues, parseCommand, parseSirenPayload, type ParseResult } from './parse.js';
import { MAX_PAYLOAD_BYTES } from './payloads.js';
import type { SirenChannel } from './topics.js';

// The examples of PROTOCOL.md ("…" placeholders filled in).
const TS = '2026-09-18T02:00:30.004Z';
const BIRTH = { online: true, bdSeq: 7, bootId: 'b-5f2c', intervalS: 30, model: 'HDS-1000', fw: '2.3.1', capabilities: ['tone', 'voice'], ts: '2026-09-18T01:59:58.120Z' };
const WILL = { online: false, bdSeq: 7 };
const HEADER = { sirenId: 'NC-DH-0001', bootId: 'b-5f2c', seq: 1042, ts: TS };
const STATUS = {
  ...HEADER, mode: 'idle', mains: true, batteryV: 26.9, batteryPct: 93, charger: 'ok', doorOpen: false,
  temperatureC: 31.5, amplifiers: [true, true, true, true], speakerOk: true, rssiDbm: -71, commsPath: '4g',
};
const EV = { ...HEADER, seq: 1043 };
const EVENTS: Record<string, object> = {
  'activation.started': { ...EV, type: 'activation.started', commandId: '9b0e', pattern: 'cn.air-raid' },
  'activation.finished': { ...EV, type: 'activation.finished', commandId: '9b0e', pattern: 'cn.air-raid', result: 'completed', onSeconds: [6.0, 6.1, 5.9], soundDb: 104.2 },
  'test.result': { ...EV, type: 'test.result', commandId: 'c1', ok: false, amplifiers: [true, false], speakerImpedanceOhm: [8.1, 8.0], batteryUnderLoadV: 24.2, failures: ['amplifier 2'] },
  'voice.started': { ...EV, type: 'voice.started', messageId: 'm1', commandId: 'c2' },
  'voice.finished': { ...EV, type: 'voice.finished', messageId: 'm1', result: 'completed', durationS: 12.5, soundDb: null },
  'door.opened': { ...EV, type: 'door.opened' },
  'door.closed': { ...EV, type: 'door.closed' },
  tamper: { ...EV, type: 'tamper' },
};
const ACK = { ...HEADER, seq: 1044, commandId: '9b0e', accepted: true, reason: null };
const COMMAND = {
  commandId: '9b0e', type: 'activate', pattern: 'cn.air-raid', exercise: true, drillId: 'd1', alertId: null,
  timeScale: 1, issuedAt: '2026-09-18T02:00:00.000Z', expiresAt: '2026-09-18T02:01:00.000Z',
};

const parse = (channel: SirenChannel, body: unknown) => parseSirenPayload(channel, JSON.stringify(body));
function failure<T>(r: ParseResult<T>): { reason: string; detail: string } {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r;
}
/** An invalid payload whose detail starts by naming `path`. */
function expectInvalid<T>(r: ParseResult<T>, path: string): void {
  const f = failure(r);
  expect(f.reason).toBe('invalid');
  expect(f.detail.startsWith(`${path}: `) || f.detail.includes(`; ${path}: `)).toBe(true);
}
function okValue(r: ParseResult<{ payload: unknown }>): Record<string, unknown> {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.detail}`);
  return r.value.payload as Record<string, unknown>;
}

describe('availability', () => {
  it('accepts the birth example and keeps every field', () => {
    const r = parse('availability', BIRTH);
    expect(r).toEqual({ ok: true, value: { channel: 'availability', payload: BIRTH } });
  });

  it('fills in the defaults of a minimal birth', () => {
    const p = okValue(parse('availability', { online: true, bdSeq: 0, bootId: 'b' }));
    expect(p.intervalS).toBe(30);
    expect(p.capabilities).toEqual(['tone']);
  });

  it('accepts the will, with and without ts', () => {
    expect(okValue(parse('availability', WILL))).toEqual(WILL);
    expect(okValue(parse('availability', { ...WILL, ts: TS })).ts).toBe(TS);
  });

  it.each([
    ['online', { ...BIRTH, online: 'yes' }],
    ['online', { bdSeq: 7 }],
    ['bootId', { ...BIRTH, bootId: undefined }],
    ['bootId', { ...BIRTH, bootId: '' }],
    ['bdSeq', { ...BIRTH, bdSeq: -1 }],
    ['bdSeq', { ...BIRTH, bdSeq: 1.5 }],
    ['bdSeq', { ...WILL, bdSeq: '7' }],
    ['intervalS', { ...BIRTH, intervalS: 0 }],
    ['capabilities', { ...BIRTH, capabilities: 'voice' }],
    ['ts', { ...BIRTH, ts: 'yesterday' }],
    ['ts', { ...WILL, ts: '2026-09-18' }],
  ])('refuses a bad %s', (path, body) => expectInvalid(parse('availability', body), path));
});

describe('status', () => {
  it('accepts the example, as a string and as a Buffer', () => {
    expect(okValue(parse('status', STATUS))).toEqual(STATUS);
    expect(okValue(parseSirenPayload('status', Buffer.from(JSON.stringify(STATUS))))).toEqual(STATUS);
  });

  it('accepts a status without the optional fields and without sirenId', () => {
    const { sirenId: _s, batteryV: _b, rssiDbm: _r, commsPath: _c, ...rest } = STATUS;
    expect(okValue(parse('status', rest))).toEqual(rest);
  });

  it('accepts a timestamp with an offset', () => {
    expect(okValue(parse('status', { ...STATUS, ts: '2026-09-18T10:00:30+08:00' })).ts).toBe('2026-09-18T10:00:30+08:00');
  });

  it.each([
    ['batteryV', 0, 60, -0.1, 60.1],
    ['batteryPct', 0, 100, -1, 100.5],
    ['temperatureC', -50, 100, -50.1, 100.1],
    ['rssiDbm', -150, 0, -151, 0.5],
  ])('takes %s from %p to %p and refuses %p and %p', (field, lo, hi, below, above) => {
    expect(okValue(parse('status', { ...STATUS, [field]: lo }))[field]).toBe(lo);
    expect(okValue(parse('status', { ...STATUS, [field]: hi }))[field]).toBe(hi);
    expectInvalid(parse('status', { ...STATUS, [field]: below }), field);
    expectInvalid(parse('status', { ...STATUS, [field]: above }), field);
  });

  it.each([
    ['mode', 'asleep'],
    ['charger', 'broken'],
    ['commsPath', 'wifi'],
    ['mains', 'true'],
    ['doorOpen', 0],
    ['speakerOk', null],
    ['batteryPct', '93'],
    ['temperatureC', null],
    ['seq', -1],
    ['seq', 1.5],
    ['seq', '1042'],
    ['sirenId', 'NC DH 0001'],
    ['sirenId', 'x'.repeat(65)],
    ['bootId', 42],
  ])('refuses %s = %p', (field, value) => expectInvalid(parse('status', { ...STATUS, [field]: value }), field));

  it('refuses a string holding U+0000, which no field needs and PostgreSQL cannot store', () => {
    const r = parse('status', { ...STATUS, bootId: 'b-\u0000' });
    expect(r).toEqual({ ok: false, reason: 'invalid', detail: 'a string contains U+0000 (NUL)' });
  });

  it('names the element of a bad amplifier entry', () => {
    expectInvalid(parse('status', { ...STATUS, amplifiers: [true, 1, true] }), 'amplifiers.1');
  });

  it.each(['bootId', 'seq', 'ts', 'mode', 'mains', 'batteryPct', 'charger', 'doorOpen', 'temperatureC', 'amplifiers', 'speakerOk'])(
    'refuses a status without %s',
    (field) => {
      const body: Record<string, unknown> = { ...STATUS };
      delete body[field];
      expectInvalid(parse('status', body), field);
    },
  );

  it.each(['2026-09-18', '2026-09-18T02:00:30', '2026-13-01T00:00:00Z', '2026-09-18T25:00:00Z', 'yesterday', '', 1758160830004])(
    'refuses the timestamp %p',
    (ts) => expectInvalid(parse('status', { ...STATUS, ts }), 'ts'),
  );
});

describe('events', () => {
  it.each(Object.entries(EVENTS))('accepts %s', (type, body) => {
    const p = okValue(parse('event', body));
    expect(p.type).toBe(type);
    expect(p).toEqual(body);
  });

  it('accepts soundDb null (a siren without an acoustic sensor) and an optional failure', () => {
    const p = okValue(parse('event', { ...EVENTS['activation.finished'], result: 'failed', soundDb: null, failure: 'amplifier' }));
    expect(p).toMatchObject({ soundDb: null, failure: 'amplifier', result: 'failed' });
  });

  it('refuses an unknown event type, naming type', () => {
    expectInvalid(parse('event', { ...EV, type: 'door.slammed' }), 'type');
    expectInvalid(parse('event', { ...EV }), 'type');
  });

  it.each([
    ['activation.started', 'commandId', undefined],
    ['activation.started', 'pattern', ''],
    ['activation.finished', 'result', 'ok'],
    ['activation.finished', 'soundDb', undefined],
    ['activation.finished', 'soundDb', 'loud'],
    ['activation.finished', 'failure', 'boom'],
    ['activation.finished', 'onSeconds', 6],
    ['test.result', 'ok', 'yes'],
    ['test.result', 'failures', undefined],
    ['test.result', 'speakerImpedanceOhm', ['8']],
    ['voice.started', 'messageId', 5],
    ['voice.finished', 'result', 'done'],
    ['door.opened', 'seq', undefined],
    ['tamper', 'ts', 'now'],
  ])('%s: refuses a bad %s', (type, field, value) => {
    const body: Record<string, unknown> = { ...EVENTS[type], [field]: value };
    if (value === undefined) delete body[field];
    const r = parse('event', body);
    const f = failure(r);
    expect(f.reason).toBe('invalid');
    expect(f.detail).toMatch(new RegExp(`(^|; )${field.replace('.', '\\.')}(\\.\\d+)?: `));
  });

  it('names the index of a bad onSeconds entry', () => {
    expectInvalid(parse('event', { ...EVENTS['activation.finished'], onSeconds: [6, '6.1', 5.9] }), 'onSeconds.1');
    expectInvalid(parse('event', { ...EVENTS['activation.finished'], onSeconds: [6, -1] }), 'onSeconds.1');
  });
});

describe('ack', () => {
  it('accepts the example and a refusal with a reason', () => {
    expect(okValue(parse('ack', ACK))).toEqual(ACK);
    for (const reason of ['expired', 'busy', 'maintenance', 'unknown-pattern', 'invalid']) {
      expect(okValue(parse('ack', { ...ACK, accepted: false, reason })).reason).toBe(reason);
    }
  });

  it.each([
    ['reason', 'nope'],
    ['accepted', 'true'],
    ['accepted', undefined],
    ['commandId', ''],
    ['commandId', undefined],
  ])('refuses %s = %p', (field, value) => {
    const body: Record<string, unknown> = { ...ACK, [field]: value };
    if (value === undefined) delete body[field];
    expectInvalid(parse('ack', body), field);
  });
});

describe('command', () => {
  it('accepts the example and defaults timeScale to 1', () => {
    const r = parseCommand(JSON.stringify(COMMAND));
    expect(r).toEqual({ ok: true, value: COMMAND });
    const { timeScale: _t, ...rest } = COMMAND;
    const d = parseCommand(JSON.stringify(rest));
    expect(d.ok && d.value.timeScale).toBe(1);
  });

  it('accepts a voice command with audio and a signature', () => {
    const voice = { ...COMMAND, type: 'voice', pattern: null, messageId: 'm1', language: 'zh-CN', repeat: 2, audioUrl: 'https://c/a', sha256: 'a'.repeat(64), sig: 'f'.repeat(64) };
    expect(parseCommand(JSON.stringify(voice))).toEqual({ ok: true, value: voice });
  });

  it.each([
    ['type', 'explode'],
    ['exercise', undefined],
    ['timeScale', 0],
    ['timeScale', 1.5],
    ['issuedAt', '2026-09-18 02:00'],
    ['expiresAt', undefined],
    ['sha256', 'A'.repeat(64)],
    ['repeat', 0],
    ['commandId', ''],
  ])('refuses %s = %p', (field, value) => {
    const body: Record<string, unknown> = { ...COMMAND, [field]: value };
    if (value === undefined) delete body[field];
    expectInvalid(parseCommand(JSON.stringify(body)), field);
  });
});

describe('malformed input', () => {
  it.each(['{', '', 'hello', "{'a':1}", '{"online":true,}'])('calls %p not JSON', (raw) => {
    expect(failure(parseSirenPayload('status', raw)).reason).toBe('not-json');
    expect(failure(parseCommand(raw)).reason).toBe('not-json');
  });

  it.each(['[]', 'null', '42', '"status"'])('calls the JSON value %s invalid at the root', (raw) => {
    const f = failure(parseSirenPayload('ack', raw));
    expect(f).toEqual({ ok: false, reason: 'invalid', detail: expect.stringMatching(/^\(root\): /) });
  });

  /** A valid status padded (with an ignored key) to exactly `bytes` bytes of UTF-8. */
  function padded(bytes: number): string {
    const base = JSON.stringify({ ...STATUS, pad: '' });
    const s = base.replace('"pad":""', `"pad":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`);
    expect(Buffer.byteLength(s)).toBe(bytes);
    return s;
  }

  it('takes exactly 16 KiB and refuses one byte more', () => {
    expect(MAX_PAYLOAD_BYTES).toBe(16384);
    expect(parseSirenPayload('status', padded(16384)).ok).toBe(true);
    expect(failure(parseSirenPayload('status', padded(16385)))).toEqual({ ok: false, reason: 'oversize', detail: '16385 bytes, limit 16384' });
    expect(failure(parseSirenPayload('status', Buffer.from(padded(16385)))).reason).toBe('oversize');
    expect(failure(parseCommand('x'.repeat(20000))).reason).toBe('oversize');
  });

  it('counts bytes, not characters', () => {
    const s = JSON.stringify({ ...STATUS, pad: '警'.repeat(5500) }); // 3 bytes each
    expect(s.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(Buffer.byteLength(s)).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(failure(parseSirenPayload('status', s)).reason).toBe('oversize');
  });

  it('reports at most three issues, each with its path', () => {
    const f = failure(parse('status', { ...STATUS, mode: 1, mains: 1, charger: 1, doorOpen: 1, speakerOk: 1 }));
    const parts = f.detail.split('; ');
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p).toMatch(/^(mode|mains|charger|doorOpen|speakerOk): /);
  });

  it('describeIssues names the root and joins nested paths with dots', () => {
    const r = z.object({ a: z.object({ b: z.array(z.number()) }) }).safeParse({ a: { b: [1, 'x'] } });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toMatch(/^a\.b\.1: /);
    const root = z.string().safeParse(5);
    if (!root.success) expect(describeIssues(root.error)).toMatch(/^\(root\): /);
  });
});
