import { describe, expect, it } from '@jest/globals';
import { demoCity } from '../src/protocol/demo-city.js';
import type { FaultProfile } from './fault-profile.js';
import { selectFaults } from './fault-selection.js';

const fleet = demoCity(200, 1);
const profile: FaultProfile = {
  faults: [
    { kind: 'offline', sirens: ['NC-02-003', 'NC-02-003'] },
    { kind: 'mains-failure', district: '360104', count: 5, at: 10 },
    { kind: 'no-sound', fraction: 0.02 },
    { kind: 'slow-ack', count: 3, delayMs: 45000 },
    { kind: 'amplifier', district: '360113', count: 2 },
  ],
};

function chosen(seed: number, p: FaultProfile = profile): Record<number, string[]> {
  const r = selectFaults(fleet, p, seed);
  if (!r.ok) throw new Error(r.errors.join('; '));
  const byFault: Record<number, string[]> = {};
  for (const [id, list] of r.bySiren) for (const a of list) (byFault[a.index] ??= []).push(id);
  return byFault;
}

describe('fault selection', () => {
  it('gives the same sirens for the same seed, fleet and profile', () => {
    expect(chosen(7)).toEqual(chosen(7));
    expect(chosen(7)).not.toEqual(chosen(8));
  });

  it('honours each way of choosing', () => {
    const c = chosen(7);
    expect(c[0]).toEqual(['NC-02-003']);
    expect(c[1]).toHaveLength(5);
    expect(c[1].every((id) => id.startsWith('NC-03-'))).toBe(true);
    expect(c[2]).toHaveLength(4);
    expect(c[3]).toHaveLength(3);
    // An amplifier fault's count is amplifiers: the whole district is chosen.
    expect(c[4]).toHaveLength(fleet.filter((s) => s.districtCode === '360113').length);
  });

  it('draws each fault from its own stream: adding a fault leaves the others where they were', () => {
    const more: FaultProfile = { faults: [...profile.faults, { kind: 'lossy', fraction: 0.5, lossPct: 10 }] };
    const before = chosen(7);
    const after = chosen(7, more);
    for (const i of [0, 1, 2, 3, 4]) expect(after[i]).toEqual(before[i]);
  });

  it('lets one siren carry several faults', () => {
    const r = selectFaults(fleet, { faults: [{ kind: 'mains-failure', sirens: ['NC-01-001'] }, { kind: 'door-open', fraction: 1 }] }, 1);
    expect(r.ok && r.bySiren.get('NC-01-001')!.map((a) => a.fault.kind)).toEqual(['mains-failure', 'door-open']);
  });

  it('names unknown sirens and districts and counts too large', () => {
    const r = selectFaults(fleet, {
      faults: [
        { kind: 'offline', sirens: ['NC-01-001', 'NC-09-001'] },
        { kind: 'offline', district: '999999' },
        { kind: 'offline', district: '360104', count: 500 },
        { kind: 'offline', count: 201 },
      ],
    }, 1);
    expect(r).toEqual({
      ok: false,
      errors: [
        'faults[0].sirens[1]: unknown siren "NC-09-001"',
        'faults[1].district: no siren in district "999999"',
        'faults[2].count: 500 sirens asked for, district 360104 has 33',
        'faults[3].count: 201 sirens asked for, the fleet has 200',
      ],
    });
  });
});
