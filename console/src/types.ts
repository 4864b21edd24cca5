/** The API's shapes as the console reads them (API.md). */
export const HEALTHS = ['ok', 'degraded', 'fault', 'offline', 'maintenance', 'unknown'] as const;
export type Health = (typeof HEALTHS)[number];
/** Worst first: the order of map layers (reversed) and of "worst first" sorting. */
export const HEALTH_RANK: Record<Health, number> = { offline: 0, fault: 1, degraded: 2, unknown: 3, maintenance: 4, ok: 5 };

export const FAULT_TYPES = [
  'OFFLINE',
  'ACTIVATION_FAILED',
  'AMPLIFIER_FAULT',
  'SPEAKER_FAULT',
  'BATTERY_LOW',
  'TAMPER',
  'DOOR_OPEN',
  'MAINS_FAILURE',
  'CHARGER_FAULT',
  'OVERTEMP',
  'COMMS_DEGRADED',
  'CLOCK_SKEW',
  'UNREGISTERED_DEVICE',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];
export type Severity = 'critical' | 'major' | 'minor';
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2 };
export type FaultState = 'active_unacked' | 'active_acked' | 'cleared_unacked' | 'closed';
/** Faults an operator clears by hand (nothing the siren says clears them). */
export const CLEARED_BY_HAND: readonly FaultType[] = ['TAMPER', 'UNREGISTERED_DEVICE'];

export type Role = 'viewer' | 'operator' | 'engineer' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'engineer', 'admin'];

export interface Siren {
  id: string;
  name: string;
  districtCode: string;
  districtName: string;
  lat: number;
  lon: number;
  health: Health;
  online: boolean;
  mode: string | null;
  lastSeenAt: string | null;
  batteryPct: number | null;
  mains: boolean | null;
  activeFaults: FaultType[];
  /** What it can play: `voice` marks a multimedia siren (PROTOCOL.md). */
  capabilities: string[];
}

export const CAPABILITIES = ['tone', 'voice'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface Fault {
  id: string;
  sirenId: string;
  type: FaultType;
  severity: Severity;
  state: FaultState;
  raisedAt: string;
  clearedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  note: string | null;
  incidentId: string | null;
  shelvedUntil: string | null;
  annunciated: boolean;
  flapCount: number;
  detail: unknown;
}

export interface Incident {
  id: string;
  kind: 'power' | 'comms' | 'other';
  districtCode: string | null;
  districtName: string | null;
  openedAt: string;
  closedAt: string | null;
  faultIds: string[];
  sirenCount: number;
  ackedAt: string | null;
  ackedBy: string | null;
}

export type HealthCounts = Record<Health, number>;

export interface Summary {
  total: number;
  byHealth: HealthCounts;
  byDistrict: { districtCode: string; districtName: string; total: number; byHealth: HealthCounts }[];
  activeFaults: number;
  unackedFaults: number;
  openIncidents: number;
  activeAlerts: number;
  runningDrills: number;
}

export interface SirenStatus {
  mode: string;
  mains: boolean;
  batteryV?: number;
  batteryPct: number;
  charger: string;
  doorOpen: boolean;
  temperatureC: number;
  amplifiers: boolean[];
  speakerOk: boolean;
  rssiDbm?: number;
  commsPath?: string;
}

export interface SirenDetail extends Siren {
  model: string | null;
  fw: string | null;
  intervalS: number | null;
  soundThresholdDb: number | null;
  commsPath: string | null;
  maintenance: boolean;
  maintenanceNote: string | null;
  bootId: string | null;
  lastSeq: number | null;
  offlineSince: string | null;
  clockSkewS: number | null;
  status: SirenStatus | null;
  statusReceivedAt: string | null;
  recentEvents: { receivedAt: string; event: { type: string; [k: string]: unknown } }[];
  faults: Fault[];
}

export interface HistoryPoint {
  ts: string;
  receivedAt: string;
  seq: number;
  mode: string;
  mains: boolean;
  batteryV: number | null;
  batteryPct: number | null;
  temperatureC: number | null;
  rssiDbm: number | null;
}

/** Whether the alarm list shows the fault now: open, not standing in an incident, not shelved. */
export function isAnnunciated(f: Fault, now = Date.now()): boolean {
  return f.state !== 'closed' && f.incidentId === null && (f.shelvedUntil === null || Date.parse(f.shelvedUntil) <= now);
}

export const isActive = (f: Fault): boolean => f.state === 'active_unacked' || f.state === 'active_acked';
export const needsAck = (f: Fault): boolean => f.state === 'active_unacked' || f.state === 'cleared_unacked';
