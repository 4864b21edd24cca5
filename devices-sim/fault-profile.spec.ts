import { describe, expect, it } from '@jest/globals';
import { FAULT_KINDS, formatPath, parseFaultProfile, validateFaultProfile } from './fault-profile.js';

const errorsOf = (doc: unknown) => {
  const r = validateFaultProfile(doc);
  if (r.ok) throw new Error('expected the profile to be refused');
  return r.errors;
};

describe('fault profile validation', () => {
  it('accepts SIMULATOR.md’s example and fills in defaults', () => {
    const r = parseFaultProfile(`{ "seed": 7, "faults": [
      { "kind": "offline", "sirens": ["NC-02-003"] },
      { "kind": "mains-failure", "district": "360104", "count": 5, "at": 10 },
      { "kind": "no-sound", "fraction": 0.02 },
      { "kind": "slow-ack", "count": 3, "delayMs": 45000 },
      { "kind": "flapping", "sirens": ["NC-03-001"], "periodS": 20, "for": 300 },
      { "kind": "amplifier", "district": "360102" } ] }`);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.profile.seed).toBe(7);
      expect(r.profile.faults[5]).toEqual({ kind: 'amplifier', district: '360102', count: 1 });
    }
  });

  it('accepts one fault of every kind with its parameters', () => {
    const params: Record<string, object> = {
      flapping: { periodS: 20 }, 'clock-skew': { offsetS: 150 }, lossy: { lossPct: 10 }, duplicates: { pct: 5 },
      reorder: { pct: 5 }, malformed: { pct: 5 }, 'slow-ack': { delayMs: 1000 }, reject: { reason: 'busy' },
      'weak-sound': { soundDb: 80 }, 'pattern-drift': { factor: 1.3 },
    };
    const faults = FAULT_KINDS.map((kind) => ({ kind, fraction: 0.1, ...params[kind] }));
    expect(validateFaultProfile({ faults }).ok).toBe(true);
  });

  it('names an unknown kind with its path', () => {
    const errors = errorsOf({ faults: [{ kind: 'offline', count: 1 }, { kind: 'lossy', count: 1, lossPct: 2 }, { kind: 'nosound', count: 1 }] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^faults\[2\]\.kind: unknown kind "nosound" \(one of: offline, /);
  });

  it('names a missing kind, a missing or bad parameter, and an unknown field', () => {
    expect(errorsOf({ faults: [{ count: 1 }] })[0]).toMatch(/^faults\[0\]\.kind: required/);
    expect(errorsOf({ faults: [{ kind: 'flapping', count: 1 }] })).toEqual([expect.stringMatching(/^faults\[0\]\.periodS: /)]);
    expect(errorsOf({ faults: [{ kind: 'lossy', count: 1, lossPct: 120 }] })).toEqual([expect.stringMatching(/^faults\[0\]\.lossPct: Too big/)]);
    expect(errorsOf({ faults: [{ kind: 'reject', count: 1, reason: 'tired' }] })).toEqual([expect.stringMatching(/^faults\[0\]\.reason: /)]);
    expect(errorsOf({ faults: [{ kind: 'offline', count: 1, dealy: 3 }] })).toEqual(['faults[0]: Unrecognized key: "dealy"']);
    expect(errorsOf({ faults: [{ kind: 'offline', fraction: 1.5 }] })).toEqual([expect.stringMatching(/^faults\[0\]\.fraction: /)]);
    expect(errorsOf({ faults: [{ kind: 'offline', count: 1, at: -1 }] })).toEqual([expect.stringMatching(/^faults\[0\]\.at: /)]);
  });

  it('refuses `for` on one-off faults', () => {
    expect(errorsOf({ faults: [{ kind: 'reboot', count: 1, at: 5, for: 10 }] })).toEqual(['faults[0]: Unrecognized key: "for"']);
    expect(errorsOf({ faults: [{ kind: 'tamper', count: 1, for: 10 }] })).toEqual(['faults[0]: Unrecognized key: "for"']);
  });

  it('wants exactly one way of choosing sirens', () => {
    expect(errorsOf({ faults: [{ kind: 'offline' }] })).toEqual(['faults[0]: choose sirens with one of "sirens", "district", "fraction" or "count"']);
    expect(errorsOf({ faults: [{ kind: 'offline', sirens: ['a'], fraction: 0.1 }] })[0]).toMatch(/^faults\[0\]: use only one of/);
    expect(errorsOf({ faults: [{ kind: 'offline', count: 2, fraction: 0.1 }] })[0]).toMatch(/^faults\[0\]: use only one of/);
    expect(validateFaultProfile({ faults: [{ kind: 'offline', district: '360104', count: 2 }] }).ok).toBe(true);
  });

  it('reads `count` of an amplifier fault as the number of failed amplifiers', () => {
    expect(errorsOf({ faults: [{ kind: 'amplifier', count: 2 }] })[0]).toMatch(/"count" is the number of failed amplifiers/);
    expect(errorsOf({ faults: [{ kind: 'amplifier', fraction: 0.1, count: 5 }] })[0]).toMatch(/^faults\[0\]\.count: /);
  });

  it('reports bad JSON and a bad top level', () => {
    expect(parseFaultProfile('{ "faults": [ }')).toEqual({ ok: false, errors: [expect.stringMatching(/^not valid JSON: /)] });
    expect(errorsOf({ seed: 1.5, faults: {} })).toEqual([
      expect.stringMatching(/^seed: /),
      expect.stringMatching(/^faults: /),
    ]);
    expect(errorsOf({ faults: [], extra: 1 })).toEqual(['(profile): Unrecognized key: "extra"']);
  });

  it('formats zod paths the way a JSON reader writes them', () => {
    expect(formatPath(['faults', 2, 'sirens', 0])).toBe('faults[2].sirens[0]');
    expect(formatPath(['seed'])).toBe('seed');
  });
});
