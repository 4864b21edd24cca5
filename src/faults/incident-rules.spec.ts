import { describe, expect, it } from '@jest/globals';
import { incidentRules, RaiseWindow } from './incident-rules.js';

const defaults = { INCIDENT_POWER_MIN: 5, INCIDENT_POWER_PCT: 30, INCIDENT_POWER_WINDOW_S: 300, INCIDENT_COMMS_MIN: 20, INCIDENT_COMMS_PCT: 10, INCIDENT_COMMS_WINDOW_S: 30 };

describe('incident rules', () => {
  const [power, comms] = incidentRules(defaults);

  it.each([
    [300, 5],
    [10, 3],
    [4, 2],
    [1, 2],
  ])('opens a power incident in a district of %i sirens at %i raises (5 or 30 %, the smaller, never under 2)', (size, n) => {
    expect(power).toMatchObject({ kind: 'power', type: 'MAINS_FAILURE', byDistrict: true, windowMs: 300_000 });
    expect(power.threshold(size)).toBe(n);
  });

  it.each([
    [10_000, 20],
    [100, 10],
    [15, 2],
  ])('opens a comms incident in a fleet of %i at %i drops', (size, n) => {
    expect(comms).toMatchObject({ kind: 'comms', type: 'OFFLINE', byDistrict: false, windowMs: 30_000 });
    expect(comms.threshold(size)).toBe(n);
  });
});

describe('raise window', () => {
  it('keeps only raises inside the window, each fault once', () => {
    const w = new RaiseWindow();
    expect(w.add('a', 0, 1000)).toEqual(['a']);
    expect(w.add('b', 500, 1000)).toEqual(['a', 'b']);
    expect(w.add('a', 900, 1000)).toEqual(['b', 'a']);
    expect(w.add('c', 1600, 1000)).toEqual(['a', 'c']);
    w.reset();
    expect(w.add('d', 1700, 1000)).toEqual(['d']);
  });
});
