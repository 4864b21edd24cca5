import { describe, expect, it } from '@jest/globals';
import { findBuiltinPattern } from '../src/protocol/index.js';
import type { SignalPattern } from '../src/protocol/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import type { FaultSpec } from './fault-profile.js';
import { selectFaults } from './fault-selection.js';
import { toSimSiren } from './fleet.js';
import { buildGroundTruth, groundTruthEntry } from './ground-truth.js';
import type { JudgementBasis } from './ground-truth.js';

const patterns = ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'].map((n) => findBuiltinPattern(n)!);
const basis: JudgementBasis = { patterns, timeScale: 1, ackTimeoutS: 30 };
const sel = { count: 1 };

function judge(faults: FaultSpec[], b: JudgementBasis = basis, thresholdDb = 90) {
  const e = groundTruthEntry(faults.map((fault, index) => ({ index, fault })), thresholdDb, b);
  return [e.expectedHealth, e.expectedVerdict?.audible ?? null, e.expectedVerdict?.silent ?? null];
}

describe('ground truth of one kind', () => {
  it.each<[string, FaultSpec, (string | null)[]]>([
    ['healthy', { kind: 'lossy', lossPct: 0, ...sel }, ['ok', 'PASS', 'PASS']],
    ['offline', { kind: 'offline', ...sel }, ['offline', 'FAIL_OFFLINE', 'FAIL_OFFLINE']],
    ['flapping', { kind: 'flapping', periodS: 20, ...sel }, [null, null, null]],
    ['mains-failure', { kind: 'mains-failure', ...sel }, ['degraded', 'PASS', 'PASS']],
    ['battery-low', { kind: 'battery-low', ...sel }, ['fault', 'PASS', 'FAIL_DEVICE']],
    ['charger-fault', { kind: 'charger-fault', ...sel }, ['degraded', 'PASS', 'PASS']],
    ['amplifier 1 of 4', { kind: 'amplifier', count: 1, fraction: 1 }, ['fault', 'PASS', 'FAIL_DEVICE']],
    ['amplifier 4 of 4', { kind: 'amplifier', count: 4, fraction: 1 }, ['fault', 'FAIL_NO_SOUND', 'FAIL_DEVICE']],
    ['speaker', { kind: 'speaker', ...sel }, ['fault', 'FAIL_NO_SOUND', 'FAIL_DEVICE']],
    ['door-open', { kind: 'door-open', ...sel }, ['degraded', 'PASS', 'PASS']],
    ['tamper', { kind: 'tamper', ...sel }, ['degraded', 'PASS', 'PASS']],
    ['overtemp', { kind: 'overtemp', ...sel }, ['degraded', 'PASS', 'PASS']],
    ['clock-skew 150 s', { kind: 'clock-skew', offsetS: 150, ...sel }, ['degraded', 'FAIL_REJECTED', 'FAIL_REJECTED']],
    ['clock-skew 120 s', { kind: 'clock-skew', offsetS: 120, ...sel }, ['degraded', 'FAIL_REJECTED', 'FAIL_REJECTED']],
    ['clock-skew 90 s (hangs on the command lifetime)', { kind: 'clock-skew', offsetS: 90, ...sel }, ['degraded', null, null]],
    ['clock-skew 20 s', { kind: 'clock-skew', offsetS: 20, ...sel }, ['ok', 'PASS', 'PASS']],
    ['clock-skew −600 s', { kind: 'clock-skew', offsetS: -600, ...sel }, ['degraded', 'PASS', 'PASS']],
    ['lossy 10 %', { kind: 'lossy', lossPct: 10, ...sel }, ['degraded', 'PASS', 'PASS']],
    ['lossy 5 %', { kind: 'lossy', lossPct: 5, ...sel }, ['ok', 'PASS', 'PASS']],
    ['duplicates', { kind: 'duplicates', pct: 50, ...sel }, ['ok', 'PASS', 'PASS']],
    ['reorder', { kind: 'reorder', pct: 50, ...sel }, ['ok', 'PASS', 'PASS']],
    ['malformed 3 %', { kind: 'malformed', pct: 3, ...sel }, ['ok', 'PASS', 'PASS']],
    ['malformed 20 %', { kind: 'malformed', pct: 20, ...sel }, ['degraded', 'PASS', 'PASS']],
    ['no-ack', { kind: 'no-ack', ...sel }, ['ok', 'FAIL_NO_ACK', 'FAIL_NO_ACK']],
    ['slow-ack 45 s', { kind: 'slow-ack', delayMs: 45_000, ...sel }, ['ok', 'FAIL_NO_ACK', 'FAIL_NO_ACK']],
    ['slow-ack 30 s', { kind: 'slow-ack', delayMs: 30_000, ...sel }, ['ok', 'PASS', 'PASS']],
    ['reject', { kind: 'reject', reason: 'busy', ...sel }, ['ok', 'FAIL_REJECTED', 'FAIL_REJECTED']],
    ['no-report', { kind: 'no-report', ...sel }, ['ok', 'FAIL_NO_REPORT', 'FAIL_NO_REPORT']],
    ['no-sound', { kind: 'no-sound', ...sel }, ['ok', 'FAIL_NO_SOUND', 'PASS']],
    ['weak-sound 85 dB', { kind: 'weak-sound', soundDb: 85, ...sel }, ['ok', 'FAIL_NO_SOUND', 'PASS']],
    ['weak-sound 95 dB', { kind: 'weak-sound', soundDb: 95, ...sel }, ['ok', 'PASS', 'PASS']],
    ['pattern-drift ×1.05', { kind: 'pattern-drift', factor: 1.05, ...sel }, ['ok', 'PASS', 'PASS']],
    ['pattern-drift ×0.8', { kind: 'pattern-drift', factor: 0.8, ...sel }, ['ok', 'FAIL_PATTERN', 'PASS']],
    ['reboot', { kind: 'reboot', at: 30, ...sel }, ['ok', 'PASS', 'PASS']],
  ])('%s', (_, fault, expected) => {
    expect(judge([fault])).toEqual(expected);
  });

  it('judges sound against the siren’s own threshold', () => {
    expect(judge([{ kind: 'weak-sound', soundDb: 95, ...sel }], basis, 100)).toEqual(['ok', 'FAIL_NO_SOUND', 'PASS']);
  });

  it('knows a stretched pattern reports too late at full speed but not when compressed', () => {
    // cn.pre-alert ×1.5: 3 × 54 s on + 2 × 24 s off = 210 s, past 180 s + 10 s.
    expect(judge([{ kind: 'pattern-drift', factor: 1.5, ...sel }])).toEqual(['ok', 'FAIL_NO_REPORT', 'PASS']);
    expect(judge([{ kind: 'pattern-drift', factor: 1.5, ...sel }], { ...basis, timeScale: 0.05 })).toEqual(['ok', 'FAIL_PATTERN', 'PASS']);
  });

  it('judges drift against the drill’s patterns: 15 % is within 1 s on a 6 s period', () => {
    const airRaid: SignalPattern[] = [findBuiltinPattern('cn.air-raid')!];
    expect(judge([{ kind: 'pattern-drift', factor: 1.15, ...sel }], { ...basis, patterns: airRaid })).toEqual(['ok', 'PASS', 'PASS']);
    expect(judge([{ kind: 'pattern-drift', factor: 1.15, ...sel }], { ...basis, timeScale: 0.05 })).toEqual(['ok', 'FAIL_PATTERN', 'PASS']);
  });

  it('follows a different ack timeout', () => {
    expect(judge([{ kind: 'slow-ack', delayMs: 20_000, ...sel }], { ...basis, ackTimeoutS: 10 })).toEqual(['ok', 'FAIL_NO_ACK', 'FAIL_NO_ACK']);
  });
});

describe('ground truth of several kinds', () => {
  it.each<[string, FaultSpec[], (string | null)[]]>([
    ['offline beats everything', [{ kind: 'no-ack', ...sel }, { kind: 'speaker', ...sel }, { kind: 'offline', ...sel }], ['offline', 'FAIL_OFFLINE', 'FAIL_OFFLINE']],
    ['no ack before rejection', [{ kind: 'reject', reason: 'busy', ...sel }, { kind: 'no-ack', ...sel }], ['ok', 'FAIL_NO_ACK', 'FAIL_NO_ACK']],
    ['rejection before no report', [{ kind: 'no-report', ...sel }, { kind: 'clock-skew', offsetS: 300, ...sel }], ['degraded', 'FAIL_REJECTED', 'FAIL_REJECTED']],
    ['no report before no sound and device', [{ kind: 'speaker', ...sel }, { kind: 'no-report', ...sel }], ['fault', 'FAIL_NO_REPORT', 'FAIL_NO_REPORT']],
    ['no sound before pattern', [{ kind: 'pattern-drift', factor: 0.5, ...sel }, { kind: 'no-sound', ...sel }], ['ok', 'FAIL_NO_SOUND', 'PASS']],
    ['pattern in audible, device in silent', [{ kind: 'pattern-drift', factor: 0.5, ...sel }, { kind: 'battery-low', ...sel }], ['fault', 'FAIL_PATTERN', 'FAIL_DEVICE']],
    ['fault health beats degraded', [{ kind: 'mains-failure', ...sel }, { kind: 'amplifier', count: 1, fraction: 1 }], ['fault', 'PASS', 'FAIL_DEVICE']],
    ['an undecidable skew is settled by an earlier verdict', [{ kind: 'clock-skew', offsetS: 60, ...sel }, { kind: 'no-ack', ...sel }], ['ok', 'FAIL_NO_ACK', 'FAIL_NO_ACK']],
    ['flapping makes everything null', [{ kind: 'flapping', periodS: 5, ...sel }, { kind: 'offline', ...sel }], [null, null, null]],
  ])('%s', (_, faults, expected) => {
    expect(judge(faults)).toEqual(expected);
  });

  it('lists each kind once, in profile order', () => {
    const e = groundTruthEntry(
      [{ kind: 'door-open', ...sel }, { kind: 'lossy', lossPct: 2, ...sel }, { kind: 'door-open', ...sel }].map((fault, index) => ({ index, fault: fault as FaultSpec })),
      90,
      basis,
    );
    expect(e.faults).toEqual(['door-open', 'lossy']);
  });
});

describe('ground truth of a spoken message', () => {
  const voice = (faults: FaultSpec[], speaks = true) => groundTruthEntry(faults.map((fault, index) => ({ index, fault })), 90, basis, speaks).expectedVerdict;
  it.each<[string, FaultSpec[], string | null]>([
    ['healthy', [], 'PASS'],
    ['voice-fail', [{ kind: 'voice-fail', ...sel }], 'FAIL_NO_REPORT'],
    ['voice-mute', [{ kind: 'voice-mute', ...sel }], 'FAIL_NO_SOUND'],
    ['amplifier 1 of 4', [{ kind: 'amplifier', count: 1, fraction: 1 }], 'PASS'],
    ['no-ack', [{ kind: 'no-ack', ...sel }], 'FAIL_NO_ACK'],
    ['offline and voice-mute', [{ kind: 'offline', ...sel }, { kind: 'voice-mute', ...sel }], 'FAIL_OFFLINE'],
  ])('%s', (_name, faults, expected) => {
    expect(voice(faults)?.voice).toBe(expected);
  });

  it('leaves tones alone, and has no voice verdict for a siren that cannot speak', () => {
    expect(voice([{ kind: 'voice-fail', ...sel }])).toEqual({ audible: 'PASS', silent: 'PASS', voice: 'FAIL_NO_REPORT' });
    expect(voice([{ kind: 'voice-mute', ...sel }], false)).toEqual({ audible: 'PASS', silent: 'PASS', voice: null });
  });
});

describe('ground truth file', () => {
  it('covers every siren and is the same for the same seed', () => {
    const rows = demoCity(50, 3);
    const fleet = rows.map(toSimSiren);
    const build = () => {
      const sel = selectFaults(fleet, { faults: [{ kind: 'no-sound', fraction: 0.2 }, { kind: 'offline', count: 2 }] }, 9);
      if (!sel.ok) throw new Error('selection failed');
      return JSON.stringify(buildGroundTruth(fleet, sel.bySiren, { generatedAt: '2026-01-01T00:00:00.000Z', seed: 9 }, basis));
    };
    const text = build();
    expect(build()).toBe(text);
    const gt = JSON.parse(text);
    expect(Object.keys(gt.sirens)).toEqual(rows.map((r) => r.id));
    const healthy = fleet.filter((s) => gt.sirens[s.id].faults.length === 0);
    expect(healthy.every((s) => JSON.stringify(gt.sirens[s.id]) === JSON.stringify({
      faults: [], expectedHealth: 'ok', expectedVerdict: { audible: 'PASS', silent: 'PASS', voice: s.capabilities.includes('voice') ? 'PASS' : null },
    }))).toBe(true);
    expect(healthy.some((s) => s.capabilities.includes('voice'))).toBe(true);
    expect(gt.basis).toEqual({ patterns: ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'], timeScale: 1, ackTimeoutS: 30 });
  });
});
