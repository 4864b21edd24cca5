import { describe, expect, it } from '@jest/globals';
import { findBuiltinPattern, signCommand } from '../src/protocol/index.js';
import { checkCommand, CommandMemory } from './command-check.js';
import type { CommandContext } from './command-check.js';

const now = Date.UTC(2026, 8, 18, 2, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const command = (extra: object = {}) => ({
  commandId: 'cmd-1',
  type: 'activate',
  pattern: 'cn.air-raid',
  exercise: true,
  timeScale: 1,
  issuedAt: iso(now),
  expiresAt: iso(now + 60_000),
  ...extra,
});
const ctx: CommandContext = {
  ownNow: now + 500,
  simTimeScale: 1,
  capabilities: ['tone'],
  maintenance: false,
  busy: false,
  findPattern: findBuiltinPattern,
};
const check = (cmd: object | string, over: Partial<CommandContext> = {}) =>
  checkCommand(typeof cmd === 'string' ? cmd : JSON.stringify(cmd), { ...ctx, ...over });
const reasonOf = (cmd: object | string, over: Partial<CommandContext> = {}) => {
  const r = check(cmd, over);
  return r.accepted ? null : r.reason;
};

describe('command checks', () => {
  it('accepts a good activation with its pattern', () => {
    const r = check(command());
    expect(r.accepted && r.pattern?.name).toBe('cn.air-raid');
  });

  it('rejects malformed commands as invalid, keeping a usable commandId', () => {
    expect(check('{nope')).toMatchObject({ accepted: false, reason: 'invalid', commandId: null });
    expect(check(command({ type: 'explode' }))).toMatchObject({ accepted: false, reason: 'invalid', commandId: 'cmd-1' });
    expect(reasonOf(command({ pattern: null }))).toBe('invalid');
    expect(reasonOf(command({ expiresAt: 'soon' }))).toBe('invalid');
  });

  it('judges expiry by the siren’s own clock', () => {
    expect(reasonOf(command())).toBeNull();
    expect(reasonOf(command(), { ownNow: now + 61_000 })).toBe('expired');
    // A clock 120 s ahead finds a fresh 60 s command already expired.
    expect(reasonOf(command(), { ownNow: now + 120_000 })).toBe('expired');
  });

  it('rejects in maintenance, for an unknown pattern, and when busy', () => {
    expect(reasonOf(command(), { maintenance: true })).toBe('maintenance');
    expect(reasonOf(command({ pattern: 'xx.unknown' }))).toBe('unknown-pattern');
    expect(reasonOf(command(), { busy: true })).toBe('busy');
    expect(reasonOf(command({ type: 'silent-test', pattern: undefined }), { busy: true })).toBe('busy');
    // Poll and cancel are answered whatever the siren is doing.
    expect(reasonOf(command({ type: 'poll' }), { busy: true })).toBeNull();
    expect(reasonOf(command({ type: 'cancel' }), { busy: true })).toBeNull();
  });

  it('accepts a timeScale other than 1 only when the simulator runs with the same', () => {
    expect(reasonOf(command({ timeScale: 0.05 }))).toBe('invalid');
    expect(reasonOf(command({ timeScale: 0.05 }), { simTimeScale: 0.05 })).toBeNull();
    expect(reasonOf(command({ timeScale: 0.1 }), { simTimeScale: 0.05 })).toBe('invalid');
    expect(reasonOf(command({ timeScale: 1 }), { simTimeScale: 0.05 })).toBeNull();
  });

  it('with a secret, accepts only correctly signed commands', () => {
    const secret = 's3cret';
    expect(reasonOf(command(), { secret })).toBe('invalid');
    expect(check(command(), { secret })).toMatchObject({ detail: 'unsigned command' });
    expect(reasonOf(signCommand(command(), secret), { secret })).toBeNull();
    expect(reasonOf(signCommand(command(), 'other'), { secret })).toBe('invalid');
    expect(reasonOf({ ...signCommand(command(), secret), pattern: 'cn.all-clear' }, { secret })).toBe('invalid');
    // Without the default filled in: the signature covers what was sent.
    const { timeScale: _omitted, ...bare } = command();
    expect(reasonOf(signCommand(bare, secret), { secret })).toBeNull();
  });

  it('refuses a commandId seen before as a replay until the command expires, even correctly signed', () => {
    const memory = new CommandMemory();
    const signed = signCommand(command(), 's3cret');
    expect(reasonOf(signed, { secret: 's3cret', memory })).toBeNull();
    expect(check(signed, { secret: 's3cret', memory })).toMatchObject({ accepted: false, reason: 'invalid', detail: 'replayed commandId cmd-1' });
    expect(reasonOf(command({ commandId: 'cmd-2' }), { memory })).toBeNull();
    // A forged copy does not use up the id, and a replay after expiry is refused as expired.
    expect(reasonOf(command({ commandId: 'cmd-3' }), { secret: 's3cret', memory })).toBe('invalid');
    expect(reasonOf(signCommand(command({ commandId: 'cmd-3' }), 's3cret'), { secret: 's3cret', memory })).toBeNull();
    expect(reasonOf(signed, { secret: 's3cret', memory, ownNow: now + 61_000 })).toBe('expired');
  });

  it('takes voice only on multimedia sirens, with a message', () => {
    const voice = command({ type: 'voice', pattern: undefined, messageId: 'm-1', text: '请注意', language: 'zh-CN' });
    expect(reasonOf(voice)).toBe('invalid');
    expect(reasonOf(voice, { capabilities: ['tone', 'voice'] })).toBeNull();
    expect(reasonOf({ ...voice, text: undefined }, { capabilities: ['tone', 'voice'] })).toBe('invalid');
  });

  it('checks invalid before expired before maintenance before unknown pattern before busy', () => {
    const all = { ownNow: now + 600_000, maintenance: true, busy: true };
    expect(reasonOf(command({ pattern: 'xx', timeScale: 0.5 }), all)).toBe('invalid');
    expect(reasonOf(command({ pattern: 'xx' }), all)).toBe('expired');
    expect(reasonOf(command({ pattern: 'xx' }), { maintenance: true, busy: true })).toBe('maintenance');
    expect(reasonOf(command({ pattern: 'xx' }), { busy: true })).toBe('unknown-pattern');
  });
});
