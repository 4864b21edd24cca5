/** The fault types of API.md: severity, and whether an active one stops the siren sounding as required. */
export const FAULT_TYPES = {
  OFFLINE: { severity: 'critical', impairs: false },
  ACTIVATION_FAILED: { severity: 'critical', impairs: true },
  AMPLIFIER_FAULT: { severity: 'major', impairs: true },
  SPEAKER_FAULT: { severity: 'major', impairs: true },
  BATTERY_LOW: { severity: 'major', impairs: true },
  TAMPER: { severity: 'major', impairs: false },
  DOOR_OPEN: { severity: 'major', impairs: false },
  MAINS_FAILURE: { severity: 'minor', impairs: false },
  CHARGER_FAULT: { severity: 'minor', impairs: false },
  OVERTEMP: { severity: 'minor', impairs: false },
  COMMS_DEGRADED: { severity: 'minor', impairs: false },
  CLOCK_SKEW: { severity: 'minor', impairs: false },
  UNREGISTERED_DEVICE: { severity: 'minor', impairs: false },
} as const satisfies Record<string, { severity: Severity; impairs: boolean }>;

export type Severity = 'critical' | 'major' | 'minor';
export type FaultType = keyof typeof FAULT_TYPES;
export type FaultState = 'active_unacked' | 'active_acked' | 'cleared_unacked' | 'closed';
export const isActive = (s: FaultState) => s === 'active_unacked' || s === 'active_acked';

export const HEALTHS = ['ok', 'degraded', 'fault', 'offline', 'maintenance', 'unknown'] as const;
export type Health = (typeof HEALTHS)[number];

/** API.md's precedence: maintenance > offline > fault > degraded > ok; unknown until the first message. */
export function deriveHealth(s: { maintenance: boolean; heard: boolean; activeTypes: Iterable<FaultType> }): Health {
  if (s.maintenance) return 'maintenance';
  let impaired = false;
  let other = false;
  for (const t of s.activeTypes) {
    if (t === 'OFFLINE') return 'offline';
    if (FAULT_TYPES[t].impairs) impaired = true;
    else other = true;
  }
  if (!s.heard) return 'unknown';
  return impaired ? 'fault' : other ? 'degraded' : 'ok';
}
