import type { IncidentKind } from './incident.entity.js';
import type { FaultType } from './fault-types.js';

export interface IncidentThresholds {
  INCIDENT_POWER_MIN: number;
  INCIDENT_POWER_PCT: number;
  INCIDENT_POWER_WINDOW_S: number;
  INCIDENT_COMMS_MIN: number;
  INCIDENT_COMMS_PCT: number;
  INCIDENT_COMMS_WINDOW_S: number;
}

export interface IncidentRule {
  kind: IncidentKind;
  type: FaultType;
  windowMs: number;
  /** How many raises within the window open an incident, for a group of `groupSize` sirens. */
  threshold: (groupSize: number) => number;
  /** Power cuts group by district; comms drops are fleet-wide. */
  byDistrict: boolean;
}

/** The smaller of a count and a share of the group, never under two: one siren is not an incident. */
const smaller = (min: number, pct: number) => (groupSize: number) => Math.max(2, Math.min(min, Math.ceil((pct / 100) * groupSize)));

export function incidentRules(t: IncidentThresholds): IncidentRule[] {
  return [
    { kind: 'power', type: 'MAINS_FAILURE', windowMs: t.INCIDENT_POWER_WINDOW_S * 1000, threshold: smaller(t.INCIDENT_POWER_MIN, t.INCIDENT_POWER_PCT), byDistrict: true },
    { kind: 'comms', type: 'OFFLINE', windowMs: t.INCIDENT_COMMS_WINDOW_S * 1000, threshold: smaller(t.INCIDENT_COMMS_MIN, t.INCIDENT_COMMS_PCT), byDistrict: false },
  ];
}

/** Raises of one rule in one group, oldest first, pruned to the window. */
export class RaiseWindow {
  private raises: { faultId: string; at: number }[] = [];

  add(faultId: string, at: number, windowMs: number): string[] {
    this.raises = this.raises.filter((r) => r.at > at - windowMs && r.faultId !== faultId);
    this.raises.push({ faultId, at });
    return this.raises.map((r) => r.faultId);
  }

  reset(): void {
    this.raises = [];
  }
}
