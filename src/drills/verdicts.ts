import { judgePeriods, patternLengthS, type SignalPattern } from '../protocol/patterns.js';
import type { SirenEvent } from '../protocol/payloads.js';

/** API.md's verdicts, in the order that decides which applies first (and which is "worst"). */
export const VERDICTS = ['EXCUSED', 'FAIL_OFFLINE', 'FAIL_NO_ACK', 'FAIL_REJECTED', 'FAIL_NO_REPORT', 'FAIL_NO_SOUND', 'FAIL_PATTERN', 'FAIL_DEVICE', 'PASS'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const DEFAULT_SOUND_THRESHOLD_DB = 90;
/** A silent test plays nothing audible, but the electronics check itself takes a few seconds. */
export const SILENT_TEST_S = 5;

export interface StepVerdict {
  verdict: Verdict;
  detail: string;
}

type Finished = Extract<SirenEvent, { type: 'activation.finished' }>;
type VoiceFinished = Extract<SirenEvent, { type: 'voice.finished' }>;
type TestResult = Extract<SirenEvent, { type: 'test.result' }>;

/** An audible step: the report's result, then sound level (when the siren has a sensor), then timing. */
export function judgeActivation(pattern: SignalPattern, report: Finished, thresholdDb: number): StepVerdict {
  if (report.result !== 'completed') {
    return { verdict: 'FAIL_NO_SOUND', detail: `${pattern.name}: ${report.result}${report.failure ? ` (${report.failure})` : ''}` };
  }
  if (report.soundDb !== null && report.soundDb < thresholdDb) {
    return { verdict: 'FAIL_NO_SOUND', detail: `${pattern.name}: ${report.soundDb} dB, under ${thresholdDb} dB` };
  }
  const timing = judgePeriods(pattern, report.onSeconds);
  if (timing) return { verdict: 'FAIL_PATTERN', detail: `${pattern.name}: ${timing}` };
  return { verdict: 'PASS', detail: '' };
}

/** A spoken message: its result, then the sound level at the sensor (no timing to judge). */
export function judgeVoice(report: VoiceFinished, thresholdDb: number): StepVerdict {
  if (report.result !== 'completed') return { verdict: 'FAIL_NO_SOUND', detail: `voice message: ${report.result}` };
  const db = report.soundDb ?? null;
  if (db !== null && db < thresholdDb) return { verdict: 'FAIL_NO_SOUND', detail: `voice message: ${db} dB, under ${thresholdDb} dB` };
  return { verdict: 'PASS', detail: '' };
}

/** Speech synthesis rates the estimate assumes: slow ones, so that a real siren is never cut short. */
const CJK_CHARS_PER_S = 3;
const LATIN_CHARS_PER_S = 10;
const MIN_SPEECH_S = 2;

/** How long a siren may take to speak a text once (seconds). */
export function speechDurationS(text: string): number {
  const cjk = /[\u3000-\u9fff]/.test(text);
  return Math.max(MIN_SPEECH_S, Math.ceil(text.length / (cjk ? CJK_CHARS_PER_S : LATIN_CHARS_PER_S)));
}

/** Seconds a siren has after its ack to finish a spoken message played `repeat` times, then report. */
export function voiceWindowS(durationS: number, repeat: number, timeScale: number, graceS: number): number {
  return durationS * repeat * timeScale + graceS;
}

export function judgeSilentTest(report: TestResult): StepVerdict {
  if (report.ok) return { verdict: 'PASS', detail: '' };
  const why = report.failures.length ? report.failures.join(', ') : 'self-test failed';
  return { verdict: 'FAIL_DEVICE', detail: `silent test: ${why}` };
}

/** Seconds a siren has after its ack to report a step: what it plays, then `graceS` (DRILL_REPORT_GRACE_S). */
export function reportWindowS(pattern: SignalPattern | null, timeScale: number, graceS: number): number {
  return (pattern ? patternLengthS(pattern) : SILENT_TEST_S) * timeScale + graceS;
}

/** The worst of several step verdicts: the earliest in API.md's order; its detail names the step. */
export function worst(steps: readonly StepVerdict[]): StepVerdict {
  if (!steps.length) return { verdict: 'PASS', detail: '' };
  return steps.reduce((a, b) => (VERDICTS.indexOf(b.verdict) < VERDICTS.indexOf(a.verdict) ? b : a));
}

export const isFailure = (v: Verdict) => v !== 'PASS' && v !== 'EXCUSED';
