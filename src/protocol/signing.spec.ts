import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { canonicalJson, signCommand, verifyCommandSignature } from './signing.js';

const SECRET = 'siren-secret-0001';
const COMMAND = {
  commandId: '9b0e', type: 'activate', pattern: 'cn.air-raid', exercise: true, drillId: 'd1', alertId: null,
  timeScale: 1, issuedAt: '2026-09-18T02:00:00.000Z', expiresAt: '2026-09-18T02:01:00.000Z',
};

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined, keeps null, and writes scalars as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson('é"')).toBe(JSON.stringify('é"'));
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });
});

describe('command signatures', () => {
  it('signs with HMAC-SHA256 (hex) over the sorted JSON without sig', () => {
    const signed = signCommand({ type: 'poll', commandId: 'c1', sig: 'old' }, 'k');
    const expected = createHmac('sha256', 'k').update('{"commandId":"c1","type":"poll"}').digest('hex');
    expect(signed).toEqual({ type: 'poll', commandId: 'c1', sig: expected });
  });

  it('round-trips, also through the wire (JSON text)', () => {
    const signed = signCommand(COMMAND, SECRET);
    expect(signed.sig).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyCommandSignature(signed, SECRET)).toBe(true);
    expect(verifyCommandSignature(JSON.parse(JSON.stringify(signed)), SECRET)).toBe(true);
  });

  it('does not depend on key order', () => {
    const reversed = Object.fromEntries(Object.entries(COMMAND).reverse());
    expect(Object.keys(reversed)[0]).toBe('expiresAt');
    expect(signCommand(reversed, SECRET).sig).toBe(signCommand(COMMAND, SECRET).sig);
    const { sig, ...rest } = signCommand(COMMAND, SECRET);
    const shuffled = { sig, ...Object.fromEntries(Object.entries(rest).reverse()) };
    expect(verifyCommandSignature(shuffled, SECRET)).toBe(true);
  });

  it('ignores an existing sig when re-signing', () => {
    const once = signCommand(COMMAND, SECRET);
    expect(signCommand(once, SECRET).sig).toBe(once.sig);
  });

  it('treats an undefined field as absent but null as a value', () => {
    const base = signCommand(COMMAND, SECRET).sig;
    expect(signCommand({ ...COMMAND, messageId: undefined }, SECRET).sig).toBe(base);
    expect(signCommand({ ...COMMAND, messageId: null }, SECRET).sig).not.toBe(base);
  });

  it.each([
    ['pattern', 'cn.pre-alert'],
    ['exercise', false],
    ['expiresAt', '2026-09-18T03:01:00.000Z'],
    ['alertId', 'a1'],
    ['timeScale', 0.5],
    ['commandId', '9b0f'],
  ])('detects a changed %s', (field, value) => {
    const signed = signCommand(COMMAND, SECRET);
    expect(verifyCommandSignature({ ...signed, [field]: value }, SECRET)).toBe(false);
  });

  it('detects an added or removed field', () => {
    const signed = signCommand(COMMAND, SECRET);
    const added = { ...signed, extra: 1 };
    expect(verifyCommandSignature(added, SECRET)).toBe(false);
    const { drillId: _d, ...without } = signed;
    expect(verifyCommandSignature(without, SECRET)).toBe(false);
  });

  it('detects a change inside a nested value', () => {
    const signed = signCommand({ ...COMMAND, meta: { a: [1, 2] } }, SECRET);
    expect(verifyCommandSignature(signed, SECRET)).toBe(true);
    const changed = { ...signed, meta: { a: [2, 1] } };
    expect(verifyCommandSignature(changed, SECRET)).toBe(false);
  });

  it('refuses another siren’s key', () => {
    const signed = signCommand(COMMAND, SECRET);
    expect(verifyCommandSignature(signed, 'siren-secret-0002')).toBe(false);
    expect(verifyCommandSignature(signed, '')).toBe(false);
    expect(signCommand(COMMAND, 'other').sig).not.toBe(signed.sig);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a number', 12345],
    ['upper-case hex', 'AB'.repeat(32)],
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['not hex', 'zz'.repeat(32)],
  ])('refuses a sig that is %s', (_what, sig) => {
    expect(verifyCommandSignature({ ...COMMAND, sig }, SECRET)).toBe(false);
  });

  it('refuses a signature with one hex digit changed', () => {
    const signed = signCommand(COMMAND, SECRET);
    const flipped = (signed.sig[0] === '0' ? '1' : '0') + signed.sig.slice(1);
    expect(verifyCommandSignature({ ...signed, sig: flipped }, SECRET)).toBe(false);
    // the upper-case form of the right signature is not accepted either (the format is lower-case hex)
    expect(signed.sig).toMatch(/[a-f]/);
    expect(verifyCommandSignature({ ...signed, sig: signed.sig.toUpperCase() }, SECRET)).toBe(false);
  });
});
