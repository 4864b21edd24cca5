import { describe, expect, it } from '@jest/globals';
import { deriveHealth, FAULT_TYPES, HEALTHS, isActive, type FaultType } from './fault-types.js';

// API.md "Faults": type → severity, impairs sounding.
const TABLE: [FaultType, 'critical' | 'major' | 'minor', boolean][] = [
  ['OFFLINE', 'critical', false],
  ['ACTIVATION_FAILED', 'critical', true],
  ['AMPLIFIER_FAULT', 'major', true],
  ['SPEAKER_FAULT', 'major', true],
  ['BATTERY_LOW', 'major', true],
  ['TAMPER', 'major', false],
  ['DOOR_OPEN', 'major', false],
  ['MAINS_FAILURE', 'minor', false],
  ['CHARGER_FAULT', 'minor', false],
  ['OVERTEMP', 'minor', false],
  ['COMMS_DEGRADED', 'minor', false],
  ['CLOCK_SKEW', 'minor', false],
  ['UNREGISTERED_DEVICE', 'minor', false],
];
const IMPAIRING = TABLE.filter(([, , i]) => i).map(([t]) => t);
const OTHER = TABLE.filter(([t, , i]) => !i && t !== 'OFFLINE').map(([t]) => t);

const health = (activeTypes: Iterable<FaultType>, o: { maintenance?: boolean; heard?: boolean } = {}) =>
  deriveHealth({ maintenance: o.maintenance ?? false, heard: o.heard ?? true, activeTypes });

describe('fault types', () => {
  it('lists exactly the types of API.md', () => {
    expect(Object.keys(FAULT_TYPES).sort()).toEqual(TABLE.map(([t]) => t).sort());
  });

  it.each(TABLE)('%s is %s, impairs = %p', (type, severity, impairs) => {
    expect(FAULT_TYPES[type]).toEqual({ severity, impairs });
  });

  it('calls only the two active states active', () => {
    expect(isActive('active_unacked')).toBe(true);
    expect(isActive('active_acked')).toBe(true);
    expect(isActive('cleared_unacked')).toBe(false);
    expect(isActive('closed')).toBe(false);
  });

  it('knows the six health values', () => {
    expect([...HEALTHS].sort()).toEqual(['degraded', 'fault', 'maintenance', 'offline', 'ok', 'unknown']);
  });
});

describe('deriveHealth', () => {
  it('is unknown until the first message, ok after it when nothing is active', () => {
    expect(health([], { heard: false })).toBe('unknown');
    expect(health([], { heard: true })).toBe('ok');
  });

  it.each(IMPAIRING)('%s alone makes the siren fault', (t) => expect(health([t])).toBe('fault'));
  it.each(OTHER)('%s alone makes the siren degraded', (t) => expect(health([t])).toBe('degraded'));
  it('OFFLINE makes the siren offline', () => expect(health(['OFFLINE'])).toBe('offline'));

  it('fault > degraded, whatever the order', () => {
    expect(health(['MAINS_FAILURE', 'BATTERY_LOW'])).toBe('fault');
    expect(health(['BATTERY_LOW', 'MAINS_FAILURE', 'DOOR_OPEN'])).toBe('fault');
  });

  it('offline > fault > degraded, whatever the order', () => {
    expect(health(['AMPLIFIER_FAULT', 'MAINS_FAILURE', 'OFFLINE'])).toBe('offline');
    expect(health(['OFFLINE', 'AMPLIFIER_FAULT'])).toBe('offline');
  });

  it('maintenance > everything', () => {
    expect(health(['OFFLINE', 'AMPLIFIER_FAULT', 'MAINS_FAILURE'], { maintenance: true })).toBe('maintenance');
    expect(health(['SPEAKER_FAULT'], { maintenance: true })).toBe('maintenance');
    expect(health([], { maintenance: true })).toBe('maintenance');
    expect(health([], { maintenance: true, heard: false })).toBe('maintenance');
  });

  it('stays unknown for a siren never heard from even with a non-offline fault recorded', () => {
    expect(health(['TAMPER'], { heard: false })).toBe('unknown');
    expect(health(['ACTIVATION_FAILED'], { heard: false })).toBe('unknown');
  });

  it('takes any iterable (a Set, a generator)', () => {
    expect(health(new Set<FaultType>(['CLOCK_SKEW']))).toBe('degraded');
    function* gen(): Generator<FaultType> {
      yield 'OVERTEMP';
      yield 'SPEAKER_FAULT';
    }
    expect(health(gen())).toBe('fault');
  });
});
