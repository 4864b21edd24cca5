/**
 * What the service should make of each siren while its faults are in effect: health (API.md's
 * precedence) and the verdict of a silent and of an audible drill (API.md's verdict order).
 */
import { judgePeriods, patternLengthS } from '../src/protocol/index.js';
import type { SignalPattern } from '../src/protocol/index.js';
import { conditionsOf } from './conditions.js';
import type { Conditions } from './conditions.js';
import { soundFails } from './device.js';
import type { AssignedFault } from './fault-selection.js';
import type { FaultKind } from './fault-profile.js';
import type { SimSiren } from './fleet.js';
import { playbackLengthS } from './playback.js';

export const VERDICT_ORDER = [
  'EXCUSED', 'FAIL_OFFLINE', 'FAIL_NO_ACK', 'FAIL_REJECTED', 'FAIL_NO_REPORT',
  'FAIL_NO_SOUND', 'FAIL_PATTERN', 'FAIL_DEVICE', 'PASS',
] as const;
export type Verdict = (typeof VERDICT_ORDER)[number];
export type ExpectedHealth = 'ok' | 'degraded' | 'fault' | 'offline';

/** A `null` verdict or health cannot be foretold (a flapping link; see expectedVerdicts for clock skew). */
export interface GroundTruthEntry {
  faults: FaultKind[];
  expectedHealth: ExpectedHealth | null;
  /** `voice`: a spoken message's verdict; null for a siren without the voice capability (it gets no message). */
  expectedVerdict: { audible: Verdict; silent: Verdict; voice: Verdict | null } | null;
}

/** The drill the verdicts assume. */
export interface JudgementBasis {
  /** The audible drill's patterns (API.md's example: the three Chinese signals). */
  patterns: SignalPattern[];
  /** The drill's `timeScale`: the simulator's own, the only one other than 1 it accepts. */
  timeScale: number;
  ackTimeoutS: number;
}

export interface GroundTruth {
  generatedAt: string;
  seed: number;
  basis: { patterns: string[]; timeScale: number; ackTimeoutS: number };
  sirens: Record<string, GroundTruthEntry>;
}

/** The service raises CLOCK_SKEW beyond 60 s and COMMS_DEGRADED beyond 5 % lost `seq`. */
const CLOCK_SKEW_LIMIT_S = 60;
const LOSS_LIMIT_PCT = 5;
/** A command lives 30–120 s: a clock ahead by ≥ 120 s finds every command expired, by < 30 s none. */
const SHORTEST_LIFETIME_S = 30;
const LONGEST_LIFETIME_S = 120;
/** API.md: the report is due within the pattern's length × timeScale + 10 s of the ack. */
const REPORT_SLACK_S = 10;

export function expectedHealth(c: Conditions): ExpectedHealth | null {
  if (c.flappingPeriodS !== null) return null;
  if (c.offline) return 'offline';
  if (c.batteryLow || c.failedAmplifiers > 0 || c.speakerFault) return 'fault';
  // Malformed statuses consume their seq, so the service counts them as lost.
  const degraded = c.mainsOff || c.chargerFault || c.doorOpen || c.tampered || c.overtemp
    || Math.abs(c.clockOffsetS) > CLOCK_SKEW_LIMIT_S || c.lossPct > LOSS_LIMIT_PCT || c.malformedPct > LOSS_LIMIT_PCT;
  return degraded ? 'degraded' : 'ok';
}

type Check = boolean | null;

/** Whether the siren rejects as expired: null when it hangs on the centre's command lifetime. */
function rejectsAsExpired(c: Conditions): Check {
  if (c.clockOffsetS >= LONGEST_LIFETIME_S) return true;
  if (c.clockOffsetS < SHORTEST_LIFETIME_S) return false;
  return null;
}

/** Stretched sounding periods can push the report past its deadline (counted in pattern seconds). */
function reportsLate(c: Conditions, basis: JudgementBasis): boolean {
  return basis.patterns.some((p) => playbackLengthS(p, c.driftFactor) > patternLengthS(p) + REPORT_SLACK_S / basis.timeScale);
}

function periodsOff(c: Conditions, basis: JudgementBasis): boolean {
  return basis.patterns.some((p) => judgePeriods(p, p.periods.map((q) => q.on * c.driftFactor)) !== null);
}

/** The first verdict whose check holds; null if an earlier check cannot be decided. */
function firstOf(checks: [Verdict, Check][]): Verdict | null {
  for (const [verdict, holds] of checks) {
    if (holds === null) return null;
    if (holds) return verdict;
  }
  return 'PASS';
}

/**
 * Verdicts of a silent and an audible drill. A clock ahead by 30–120 s gives null: whether the
 * siren finds a command expired depends on the lifetime the centre gives it.
 */
export function expectedVerdicts(c: Conditions, thresholdDb: number, basis: JudgementBasis, speaks = false): GroundTruthEntry['expectedVerdict'] {
  if (c.flappingPeriodS !== null) return null;
  const common: [Verdict, Check][] = [
    ['FAIL_OFFLINE', c.offline],
    ['FAIL_NO_ACK', c.noAck || (c.ackDelayMs !== null && c.ackDelayMs > basis.ackTimeoutS * 1000)],
    ['FAIL_REJECTED', c.rejectReason !== null || rejectsAsExpired(c)],
  ];
  const audible = firstOf([
    ...common,
    ['FAIL_NO_REPORT', c.noReport || reportsLate(c, basis)],
    ['FAIL_NO_SOUND', soundFails(c, thresholdDb)],
    ['FAIL_PATTERN', periodsOff(c, basis)],
  ]);
  const silent = firstOf([
    ...common,
    ['FAIL_NO_REPORT', c.noReport],
    ['FAIL_DEVICE', c.batteryLow || c.failedAmplifiers > 0 || c.speakerFault],
  ]);
  const voice = firstOf([
    ...common,
    ['FAIL_NO_REPORT', c.noReport || c.voiceFail],
    ['FAIL_NO_SOUND', soundFails(c, thresholdDb, true)],
  ]);
  return audible === null || silent === null || voice === null ? null : { audible, silent, voice: speaks ? voice : null };
}

export function groundTruthEntry(faults: readonly AssignedFault[], thresholdDb: number, basis: JudgementBasis, speaks = false): GroundTruthEntry {
  const c = conditionsOf(faults.map((a) => a.fault));
  return {
    faults: [...new Set(faults.map((a) => a.fault.kind))],
    expectedHealth: expectedHealth(c),
    expectedVerdict: expectedVerdicts(c, thresholdDb, basis, speaks),
  };
}

export function buildGroundTruth(
  fleet: readonly SimSiren[],
  bySiren: ReadonlyMap<string, AssignedFault[]>,
  meta: { generatedAt: string; seed: number },
  basis: JudgementBasis,
): GroundTruth {
  const sirens: Record<string, GroundTruthEntry> = {};
  for (const s of fleet) sirens[s.id] = groundTruthEntry(bySiren.get(s.id) ?? [], s.soundThresholdDb, basis, s.capabilities.includes('voice'));
  return {
    generatedAt: meta.generatedAt,
    seed: meta.seed,
    basis: { patterns: basis.patterns.map((p) => p.name), timeScale: basis.timeScale, ackTimeoutS: basis.ackTimeoutS },
    sirens,
  };
}
