import { lossRate } from '../sirens/sequence.js';
import type { LiveSiren } from '../sirens/live-siren.js';
import type { FaultType } from './fault-types.js';

export interface FaultThresholds {
  BATTERY_LOW_PCT: number;
  BATTERY_OK_PCT: number;
  OVERTEMP_C: number;
  OVERTEMP_CLEAR_C: number;
  RSSI_LOW_DBM: number;
  LOSS_PCT: number;
  CLOCK_SKEW_S: number;
}

/** Types that follow from live state; the others (activation, tamper, unregistered) come from elsewhere. */
export const STATE_FAULTS = [
  'OFFLINE',
  'AMPLIFIER_FAULT',
  'SPEAKER_FAULT',
  'BATTERY_LOW',
  'DOOR_OPEN',
  'MAINS_FAILURE',
  'CHARGER_FAULT',
  'OVERTEMP',
  'COMMS_DEGRADED',
  'CLOCK_SKEW',
] as const satisfies readonly FaultType[];

/**
 * Which state-derived faults should be active now, with a short detail each. `active` is what is active
 * already: thresholds with hysteresis (battery, temperature) keep a fault until the clear level.
 */
export function stateFaults(
  s: Readonly<LiveSiren>,
  inMaintenance: boolean,
  active: ReadonlySet<FaultType>,
  t: FaultThresholds,
): Map<FaultType, string> {
  const out = new Map<FaultType, string>();
  if (s.online === false) out.set('OFFLINE', 'no contact');
  const st = s.status;
  if (st) {
    const deadAmps = st.amplifiers.filter((a) => !a).length;
    if (deadAmps) out.set('AMPLIFIER_FAULT', `${deadAmps} of ${st.amplifiers.length} amplifiers failed`);
    if (!st.speakerOk) out.set('SPEAKER_FAULT', 'speaker check failed');
    const batteryLimit = active.has('BATTERY_LOW') ? t.BATTERY_OK_PCT : t.BATTERY_LOW_PCT;
    if (st.batteryPct < batteryLimit) out.set('BATTERY_LOW', `battery ${st.batteryPct} %`);
    if (st.doorOpen && !inMaintenance && st.mode !== 'maintenance') out.set('DOOR_OPEN', 'cabinet door open');
    if (!st.mains) out.set('MAINS_FAILURE', 'on battery');
    if (st.charger === 'fault') out.set('CHARGER_FAULT', 'charger fault');
    const tempLimit = active.has('OVERTEMP') ? t.OVERTEMP_CLEAR_C : t.OVERTEMP_C;
    if (st.temperatureC > tempLimit) out.set('OVERTEMP', `${st.temperatureC} °C`);
    if (st.rssiDbm !== undefined && st.rssiDbm < t.RSSI_LOW_DBM) out.set('COMMS_DEGRADED', `signal ${st.rssiDbm} dBm`);
  }
  const loss = lossRate(s.seq);
  if (loss !== null && loss * 100 > t.LOSS_PCT) out.set('COMMS_DEGRADED', `${(loss * 100).toFixed(0)} % of messages lost`);
  if (s.clockSkewS !== null && Math.abs(s.clockSkewS) > t.CLOCK_SKEW_S) out.set('CLOCK_SKEW', `clock off by ${s.clockSkewS.toFixed(0)} s`);
  return out;
}
