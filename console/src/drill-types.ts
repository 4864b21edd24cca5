/** Drills as the API reports them (API.md "Drills"). */
export const VERDICTS = ['EXCUSED', 'FAIL_OFFLINE', 'FAIL_NO_ACK', 'FAIL_REJECTED', 'FAIL_NO_REPORT', 'FAIL_NO_SOUND', 'FAIL_PATTERN', 'FAIL_DEVICE', 'PASS'] as const;
export type Verdict = (typeof VERDICTS)[number];
export type DrillState = 'planned' | 'running' | 'completed' | 'aborted';
export type DrillMode = 'silent' | 'audible';
export type DrillScope = { all: true } | { districtCodes: string[] } | { sirenIds: string[] };

/** The service's built-in signal patterns (PROTOCOL.md), in the order the form offers them. */
export const PATTERNS = ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear', 'de.warning', 'de.all-clear', 'us.alert', 'us.attack', 'test.short'] as const;
/** The step of a drill's spoken announcement (multimedia sirens speak it, the others sit it out). */
export const VOICE_STEP = 'voice';
/** The yearly 9·18 air-raid test: pre-alert, air raid, all clear. */
export const SEQUENCE_918 = ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'];

export interface DrillListItem {
  id: string;
  name: string;
  state: DrillState;
  mode: DrillMode;
  patterns: string[];
  scope: DrillScope;
  createdAt: string;
  startedAt: string | null;
}

export interface DrillResult {
  sirenId: string;
  districtCode: string;
  districtName: string;
  verdict: Verdict | null;
  detail: string | null;
  ackMs: number | null;
  soundDb: number | null;
  onSeconds: number[] | null;
}

export interface DistrictPassRate {
  districtCode: string;
  districtName: string;
  total: number;
  pass: number;
  fail: number;
  excused: number;
  /** 鸣响率: passed of those judged (excused left out); null until one is judged. */
  passRate: number | null;
}

export interface Drill extends Omit<DrillListItem, 'createdAt'> {
  gapS: number;
  ackTimeoutS: number;
  timeScale: number;
  scheduledAt: string | null;
  createdBy: string;
  startedBy: string | null;
  createdAt: string;
  endedAt: string | null;
  /** The pattern in progress, from 1. */
  step: number | null;
  progress: DrillProgress;
  summary: { pass: number; fail: number; excused: number; byVerdict: Partial<Record<Verdict, number>>; byDistrict: DistrictPassRate[] };
  results: DrillResult[];
  comparedWith: { id: string; name: string; newlyFailing: string[]; fixed: string[] } | null;
}

export interface DrillProgress {
  total: number;
  done: number;
}

/** The SSE `drill` event. */
export interface DrillEvent {
  id: string;
  name: string;
  state: DrillState;
  step: number | null;
  progress: DrillProgress;
}

export interface DrillPlan {
  name: string;
  scope: DrillScope;
  mode: DrillMode;
  patterns: string[];
  gapS: number;
  ackTimeoutS: number;
  timeScale: number;
  scheduledAt: string | null;
  voice?: { language: string; text: string };
}

export interface DrillSchedule {
  id: string;
  name: string;
  plan: DrillPlan;
  cron: string;
  timeZone: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastDrillId: string | null;
  enabled: boolean;
  createdBy: string;
}

export const isFailure = (v: Verdict | null): boolean => v !== null && v !== 'PASS' && v !== 'EXCUSED';
