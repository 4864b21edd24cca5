import { describe, expect, it } from '@jest/globals';
import type { Status } from '../protocol/payloads.js';
import { newLiveSiren, type LiveSiren } from '../sirens/live-siren.js';
import { judgeSequence, lossRate } from '../sirens/sequence.js';
import { STATE_FAULTS, stateFaults, type FaultThresholds } from './fault-conditions.js';
import type { FaultType } from './fault-types.js';

const T0 = Date.parse('2026-09-18T02:00:00.000Z');
const DEFAULTS: FaultThresholds = {
  BATTERY_LOW_PCT: 30, BATTERY_OK_PCT: 35, OVERTEMP_C: 70, OVERTEMP_CLEAR_C: 65, RSSI_LOW_DBM: -110, LOSS_PCT: 5, CLOCK_SKEW_S: 60,
};
const HEALTHY: Status = {
  sirenId: 'NC-DH-0001', bootId: 'b1', seq: 1, ts: '2026-09-18T02:00:00.000Z', mode: 'idle', mains: true, batteryV: 26.9,
  batteryPct: 93, charger: 'ok', doorOpen: false, temperatureC: 31.5, amplifiers: [true, true, true, true], speakerOk: true,
  rssiDbm: -71, commsPath: '4g',
};

function siren(status: Partial<Status> | null, o: Partial<LiveSiren> = {}): LiveSiren {
  return { ...newLiveSiren(30), online: true, lastSeenAt: T0, status: status && { ...HEALTHY, ...status }, clockSkewS: 0, ...o };
}
function faults(s: LiveSiren, o: { active?: FaultType[]; maintenance?: boolean; t?: Partial<FaultThresholds> } = {}) {
  return stateFaults(s, o.maintenance ?? false, new Set(o.active ?? []), { ...DEFAULTS, ...o.t });
}
const types = (s: LiveSiren, o?: Parameters<typeof faults>[1]) => [...faults(s, o).keys()].sort();
const has = (type: FaultType, s: LiveSiren, o?: Parameters<typeof faults>[1]) => faults(s, o).has(type);

describe('state faults', () => {
  it('finds none on a healthy siren', () => {
    expect(types(siren({}))).toEqual([]);
  });

  it('covers exactly the state-derived types', () => {
    expect([...STATE_FAULTS].sort()).toEqual(
      ['AMPLIFIER_FAULT', 'BATTERY_LOW', 'CHARGER_FAULT', 'CLOCK_SKEW', 'COMMS_DEGRADED', 'DOOR_OPEN', 'MAINS_FAILURE', 'OFFLINE', 'OVERTEMP', 'SPEAKER_FAULT'],
    );
  });

  it('raises OFFLINE only when known offline', () => {
    expect(faults(siren({}, { online: false })).get('OFFLINE')).toBe('no contact');
    expect(has('OFFLINE', siren({}, { online: true }))).toBe(false);
    expect(has('OFFLINE', siren(null, { online: null }))).toBe(false);
  });

  it('raises AMPLIFIER_FAULT for any failed amplifier, with a count', () => {
    expect(faults(siren({ amplifiers: [true, false, true, true] })).get('AMPLIFIER_FAULT')).toBe('1 of 4 amplifiers failed');
    expect(faults(siren({ amplifiers: [false, false] })).get('AMPLIFIER_FAULT')).toBe('2 of 2 amplifiers failed');
    expect(has('AMPLIFIER_FAULT', siren({ amplifiers: [] }))).toBe(false);
  });

  it('raises SPEAKER_FAULT, MAINS_FAILURE and CHARGER_FAULT from their fields', () => {
    expect(types(siren({ speakerOk: false }))).toEqual(['SPEAKER_FAULT']);
    expect(types(siren({ mains: false }))).toEqual(['MAINS_FAILURE']);
    expect(types(siren({ charger: 'fault' }))).toEqual(['CHARGER_FAULT']);
    expect(types(siren({ charger: 'off' }))).toEqual([]);
  });

  describe('BATTERY_LOW: raise below 30, keep until 35', () => {
    it('raises strictly below 30', () => {
      expect(has('BATTERY_LOW', siren({ batteryPct: 30 }))).toBe(false);
      expect(faults(siren({ batteryPct: 29.9 })).get('BATTERY_LOW')).toBe('battery 29.9 %');
      expect(has('BATTERY_LOW', siren({ batteryPct: 0 }))).toBe(true);
    });

    it('does not raise inside the band 30–35 when not active', () => {
      expect(has('BATTERY_LOW', siren({ batteryPct: 32 }))).toBe(false);
      expect(has('BATTERY_LOW', siren({ batteryPct: 34.9 }))).toBe(false);
    });

    it('keeps an active fault until 35 is reached', () => {
      const active: FaultType[] = ['BATTERY_LOW'];
      expect(has('BATTERY_LOW', siren({ batteryPct: 30 }), { active })).toBe(true);
      expect(has('BATTERY_LOW', siren({ batteryPct: 34.9 }), { active })).toBe(true);
      expect(has('BATTERY_LOW', siren({ batteryPct: 35 }), { active })).toBe(false);
    });

    it('follows configured thresholds', () => {
      const t = { BATTERY_LOW_PCT: 50, BATTERY_OK_PCT: 60 };
      expect(has('BATTERY_LOW', siren({ batteryPct: 49 }), { t })).toBe(true);
      expect(has('BATTERY_LOW', siren({ batteryPct: 55 }), { t, active: ['BATTERY_LOW'] })).toBe(true);
      expect(has('BATTERY_LOW', siren({ batteryPct: 60 }), { t, active: ['BATTERY_LOW'] })).toBe(false);
    });
  });

  describe('OVERTEMP: raise above 70, clear at 65 or below', () => {
    it('raises strictly above 70', () => {
      expect(has('OVERTEMP', siren({ temperatureC: 70 }))).toBe(false);
      expect(faults(siren({ temperatureC: 70.5 })).get('OVERTEMP')).toBe('70.5 °C');
      expect(has('OVERTEMP', siren({ temperatureC: 68 }))).toBe(false);
    });

    it('keeps an active fault above 65 and clears it at 65', () => {
      const active: FaultType[] = ['OVERTEMP'];
      expect(has('OVERTEMP', siren({ temperatureC: 68 }), { active })).toBe(true);
      expect(has('OVERTEMP', siren({ temperatureC: 65.1 }), { active })).toBe(true);
      expect(has('OVERTEMP', siren({ temperatureC: 65 }), { active })).toBe(false);
      expect(has('OVERTEMP', siren({ temperatureC: -10 }), { active })).toBe(false);
    });
  });

  it('raises COMMS_DEGRADED for a signal below −110 dBm', () => {
    expect(has('COMMS_DEGRADED', siren({ rssiDbm: -110 }))).toBe(false);
    expect(faults(siren({ rssiDbm: -111 })).get('COMMS_DEGRADED')).toBe('signal -111 dBm');
    expect(has('COMMS_DEGRADED', siren({ rssiDbm: undefined }))).toBe(false);
  });

  describe('COMMS_DEGRADED from message loss (more than 5 % of the last 100 seq)', () => {
    /** Seq 0..last of one boot with `missing` left out, 10 s apart (every gap outlives the reorder window). */
    function withLoss(last: number, missing: number[]): LiveSiren {
      const s = siren({});
      let t = T0;
      for (let q = 0; q <= last; q++) if (!missing.includes(q)) judgeSequence(s.seq, 'b1', q, (t += 10_000));
      return s;
    }

    it('stays quiet at exactly 5 %', () => {
      const s = withLoss(99, [10, 20, 30, 40, 50]);
      expect(lossRate(s.seq)).toBeCloseTo(0.05, 10);
      expect(has('COMMS_DEGRADED', s)).toBe(false);
    });

    it('raises above 5 %', () => {
      const s = withLoss(99, [10, 20, 30, 40, 50, 60]);
      expect(lossRate(s.seq)).toBeCloseTo(0.06, 10);
      expect(faults(s).get('COMMS_DEGRADED')).toBe('6 % of messages lost');
    });

    it('judges only once 20 seq are expected', () => {
      const s = withLoss(18, [3, 6, 9, 12]);
      expect(lossRate(s.seq)).toBeNull();
      expect(has('COMMS_DEGRADED', s)).toBe(false);
      const t = withLoss(19, [3, 6, 9, 12]);
      expect(has('COMMS_DEGRADED', t)).toBe(true);
    });

    it('raises on loss with a good signal and without any status', () => {
      const s = withLoss(99, [10, 20, 30, 40, 50, 60]);
      s.status = null;
      expect(types(s)).toEqual(['COMMS_DEGRADED']);
    });
  });

  it('raises CLOCK_SKEW beyond 60 s either way', () => {
    expect(has('CLOCK_SKEW', siren({}, { clockSkewS: 60 }))).toBe(false);
    expect(has('CLOCK_SKEW', siren({}, { clockSkewS: -60 }))).toBe(false);
    expect(faults(siren({}, { clockSkewS: 61 })).get('CLOCK_SKEW')).toBe('clock off by 61 s');
    expect(has('CLOCK_SKEW', siren({}, { clockSkewS: -90.4 }))).toBe(true);
    expect(has('CLOCK_SKEW', siren({}, { clockSkewS: null }))).toBe(false);
  });

  it('raises DOOR_OPEN only outside maintenance', () => {
    expect(faults(siren({ doorOpen: true })).get('DOOR_OPEN')).toBe('cabinet door open');
    expect(has('DOOR_OPEN', siren({ doorOpen: true }), { maintenance: true })).toBe(false);
    expect(has('DOOR_OPEN', siren({ doorOpen: true, mode: 'maintenance' }))).toBe(false);
    expect(has('DOOR_OPEN', siren({ doorOpen: true, mode: 'sounding' }))).toBe(true);
  });

  it('keeps judging the other conditions in maintenance (raising is the service’s call)', () => {
    expect(types(siren({ mains: false, doorOpen: true }), { maintenance: true })).toEqual(['MAINS_FAILURE']);
  });

  it('judges only liveness, loss and skew without a status', () => {
    expect(types(siren(null, { online: false, clockSkewS: 120 }))).toEqual(['CLOCK_SKEW', 'OFFLINE']);
  });

  it('reports several faults at once', () => {
    const s = siren({ mains: false, batteryPct: 12, charger: 'fault', temperatureC: 75, speakerOk: false }, { online: false });
    expect(types(s)).toEqual(['BATTERY_LOW', 'CHARGER_FAULT', 'MAINS_FAILURE', 'OFFLINE', 'OVERTEMP', 'SPEAKER_FAULT']);
  });
});
