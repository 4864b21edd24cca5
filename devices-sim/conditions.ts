/** What the faults in effect on a siren amount to: one flat record the device model and the siren read. */
import type { AckReason } from './command-check.js';
import type { FaultSpec } from './fault-profile.js';

export interface Conditions {
  offline: boolean;
  /** `periodS` of a flapping link, else null. */
  flappingPeriodS: number | null;
  mainsOff: boolean;
  batteryLow: boolean;
  chargerFault: boolean;
  failedAmplifiers: number;
  speakerFault: boolean;
  doorOpen: boolean;
  tampered: boolean;
  overtemp: boolean;
  clockOffsetS: number;
  lossPct: number;
  duplicatePct: number;
  reorderPct: number;
  malformedPct: number;
  noAck: boolean;
  ackDelayMs: number | null;
  rejectReason: AckReason | null;
  noReport: boolean;
  noSound: boolean;
  weakSoundDb: number | null;
  driftFactor: number;
  /** A spoken message starts and never finishes. */
  voiceFail: boolean;
  /** A spoken message finishes with next to no sound at the sensor. */
  voiceMute: boolean;
}

export const HEALTHY: Readonly<Conditions> = {
  offline: false,
  flappingPeriodS: null,
  mainsOff: false,
  batteryLow: false,
  chargerFault: false,
  failedAmplifiers: 0,
  speakerFault: false,
  doorOpen: false,
  tampered: false,
  overtemp: false,
  clockOffsetS: 0,
  lossPct: 0,
  duplicatePct: 0,
  reorderPct: 0,
  malformedPct: 0,
  noAck: false,
  ackDelayMs: null,
  rejectReason: null,
  noReport: false,
  noSound: false,
  weakSoundDb: null,
  driftFactor: 1,
  voiceFail: false,
  voiceMute: false,
};

/** Folds the faults in profile order; a later fault of the same kind overrides an earlier one's parameter. */
export function conditionsOf(faults: readonly FaultSpec[]): Conditions {
  const c: Conditions = { ...HEALTHY };
  for (const f of faults) {
    switch (f.kind) {
      case 'offline': c.offline = true; break;
      case 'flapping': c.flappingPeriodS = f.periodS; break;
      case 'mains-failure': c.mainsOff = true; break;
      case 'battery-low': c.batteryLow = true; break;
      case 'charger-fault': c.chargerFault = true; break;
      case 'amplifier': c.failedAmplifiers = Math.max(c.failedAmplifiers, f.count); break;
      case 'speaker': c.speakerFault = true; break;
      case 'door-open': c.doorOpen = true; break;
      case 'tamper': c.tampered = true; break;
      case 'overtemp': c.overtemp = true; break;
      case 'clock-skew': c.clockOffsetS = f.offsetS; break;
      case 'lossy': c.lossPct = f.lossPct; break;
      case 'duplicates': c.duplicatePct = f.pct; break;
      case 'reorder': c.reorderPct = f.pct; break;
      case 'malformed': c.malformedPct = f.pct; break;
      case 'no-ack': c.noAck = true; break;
      case 'slow-ack': c.ackDelayMs = f.delayMs; break;
      case 'reject': c.rejectReason = f.reason; break;
      case 'no-report': c.noReport = true; break;
      case 'no-sound': c.noSound = true; break;
      case 'weak-sound': c.weakSoundDb = f.soundDb; break;
      case 'pattern-drift': c.driftFactor = f.factor; break;
      // A reboot is an act at its `at`, not a lasting condition.
      case 'reboot': break;
      case 'voice-fail': c.voiceFail = true; break;
      case 'voice-mute': c.voiceMute = true; break;
    }
  }
  return c;
}
