import { describe, expect, it } from '@jest/globals';
import { acknowledge, clear, newFault, reopen } from './fault-lifecycle.js';

const T0 = Date.parse('2026-09-18T02:00:00.000Z');
const S = 1000;

describe('fault lifecycle', () => {
  it('raises a fault active and unacknowledged, with the severity of its type', () => {
    const f = newFault('f1', 'NC-DH-0001', 'BATTERY_LOW', T0, 'battery 20 %');
    expect(f).toEqual({
      id: 'f1', sirenId: 'NC-DH-0001', type: 'BATTERY_LOW', severity: 'major', state: 'active_unacked',
      raisedAt: T0, clearedAt: null, ackedAt: null, ackedBy: null, note: null, shelvedUntil: null,
      flapCount: 0, incidentId: null, detail: 'battery 20 %', updatedAt: T0,
    });
    expect(newFault('f2', 's', 'OFFLINE', T0, null).severity).toBe('critical');
    expect(newFault('f3', 's', 'CLOCK_SKEW', T0, null).severity).toBe('minor');
  });

  it('active_unacked → active_acked → closed (acknowledged, then cleared)', () => {
    const f = newFault('f1', 's', 'MAINS_FAILURE', T0, null);
    acknowledge(f, 'olga', 'power company called', T0 + 10 * S);
    expect(f).toMatchObject({ state: 'active_acked', ackedAt: T0 + 10 * S, ackedBy: 'olga', note: 'power company called', clearedAt: null, updatedAt: T0 + 10 * S });
    clear(f, T0 + 60 * S);
    expect(f).toMatchObject({ state: 'closed', clearedAt: T0 + 60 * S, ackedBy: 'olga', updatedAt: T0 + 60 * S });
    expect(f.raisedAt).toBe(T0);
  });

  it('active_unacked → cleared_unacked → closed (cleared, then acknowledged)', () => {
    const f = newFault('f1', 's', 'DOOR_OPEN', T0, null);
    clear(f, T0 + 5 * S);
    expect(f).toMatchObject({ state: 'cleared_unacked', clearedAt: T0 + 5 * S, ackedAt: null, updatedAt: T0 + 5 * S });
    acknowledge(f, 'wei', null, T0 + 9 * S);
    expect(f).toMatchObject({ state: 'closed', clearedAt: T0 + 5 * S, ackedAt: T0 + 9 * S, ackedBy: 'wei', note: null, updatedAt: T0 + 9 * S });
  });

  it('keeps an earlier note when acknowledged without one', () => {
    const f = newFault('f1', 's', 'TAMPER', T0, null);
    f.note = 'shelved: crew on site';
    acknowledge(f, 'olga', null, T0 + S);
    expect(f.note).toBe('shelved: crew on site');
    acknowledge(f, 'olga', 'replaced', T0 + 2 * S);
    expect(f.note).toBe('replaced');
  });

  it('re-opens a cleared, unacknowledged fault as the same record and counts a flap', () => {
    const f = newFault('f1', 's', 'COMMS_DEGRADED', T0, 'signal -115 dBm');
    clear(f, T0 + 30 * S);
    reopen(f, T0 + 90 * S, 'signal -118 dBm');
    expect(f).toMatchObject({
      id: 'f1', state: 'active_unacked', raisedAt: T0, clearedAt: null, flapCount: 1, detail: 'signal -118 dBm', updatedAt: T0 + 90 * S,
    });
  });

  it('re-opens a closed (acknowledged) fault unacknowledged again, and counts every flap', () => {
    const f = newFault('f1', 's', 'OVERTEMP', T0, '72 °C');
    acknowledge(f, 'olga', 'fan', T0 + S);
    clear(f, T0 + 10 * S);
    expect(f.state).toBe('closed');
    reopen(f, T0 + 20 * S, '71 °C');
    expect(f).toMatchObject({ state: 'active_unacked', ackedAt: null, ackedBy: null, clearedAt: null, flapCount: 1 });
    clear(f, T0 + 30 * S);
    expect(f.state).toBe('cleared_unacked');
    reopen(f, T0 + 40 * S, '73 °C');
    expect(f).toMatchObject({ state: 'active_unacked', flapCount: 2, detail: '73 °C' });
    acknowledge(f, 'wei', null, T0 + 50 * S);
    expect(f.state).toBe('active_acked');
  });
});
