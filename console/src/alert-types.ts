import type { Health } from './types.js';
import type { DrillState } from './drill-types.js';

/** Emergency alerts (CAP) as the API reports them (API.md "Emergency alerts"). */
export type AlertSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type AlertUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
export type AlertStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type AlertState = 'active' | 'updated' | 'cancelled' | 'expired';

export interface AlertArea {
  areaDesc: string;
  /** "lat,lon lat,lon …" (CAP order). */
  polygon: string[];
  /** "lat,lon radiusKm". */
  circle: string[];
  geocode: { valueName: string; value: string }[];
}

export interface Alert {
  id: string;
  identifier: string;
  sender: string;
  sent: string;
  status: AlertStatus;
  msgType: string;
  scope: string;
  event: string | null;
  urgency: AlertUrgency | null;
  severity: AlertSeverity | null;
  certainty: string | null;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  language: string | null;
  languages: string[];
  areas: AlertArea[];
  expiresAt: string | null;
  receivedAt: string;
  state: AlertState;
  coverage: { sirens: number; ready: number; notReady: { sirenId: string; health: Health }[] };
  activation: { id: string; pattern: string; state: DrillState; exercise: boolean; sounded: number; failed: number } | null;
  /** Spoken messages sent to the alert's area: each a run with its outcome so far. */
  spokenMessages?: { id: string; state: DrillState; exercise: boolean; sounded: number; failed: number }[];
}

/** Test and Draft alerts never sound; any other status but Actual sounds only as an exercise. */
export const canSound = (a: Alert): boolean => a.state === 'active' && a.status !== 'Test' && a.status !== 'Draft';
export const soundsAsExercise = (a: Alert): boolean => a.status !== 'Actual';

const SEVERITY_RANK: Record<AlertSeverity, number> = { Extreme: 0, Severe: 1, Moderate: 2, Minor: 3, Unknown: 4 };

/** Most severe first, and within a severity the newest first. */
export function alertOrder(a: Alert, b: Alert): number {
  const rank = (x: Alert) => SEVERITY_RANK[x.severity ?? 'Unknown'];
  return rank(a) - rank(b) || (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0);
}
