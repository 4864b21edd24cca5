import { describe, expect, it } from '@jest/globals';
import { compareWithGroundTruth, formatComparison } from './compare.js';
import type { GroundTruth } from './ground-truth.js';

const entry = (audible: string, silent = 'PASS') => ({ faults: [], expectedHealth: 'ok', expectedVerdict: { audible, silent } });
const truth = {
  generatedAt: '2026-01-01T00:00:00Z',
  seed: 1,
  sirens: { A: entry('PASS'), B: entry('FAIL_NO_ACK', 'FAIL_NO_ACK'), C: { faults: ['flapping'], expectedHealth: null, expectedVerdict: null }, D: entry('PASS') },
} as unknown as GroundTruth;

describe('drill vs ground truth', () => {
  it('agrees siren by siren and counts per verdict', () => {
    const c = compareWithGroundTruth(truth, 'audible', [
      { sirenId: 'A', verdict: 'PASS' },
      { sirenId: 'B', verdict: 'FAIL_NO_ACK' },
      { sirenId: 'C', verdict: 'FAIL_OFFLINE' },
      { sirenId: 'D', verdict: 'PASS' },
    ]);
    expect(c).toMatchObject({ compared: 3, agreed: 3, disagreements: [], unforeseeable: ['C'], notInDrill: [], notInTruth: [] });
    expect(c.byVerdict).toEqual({ PASS: { expected: 2, actual: 2 }, FAIL_NO_ACK: { expected: 1, actual: 1 } });
    expect(formatComparison(c)[0]).toBe('agreement: 3 of 3 sirens (100.0 %)');
  });

  it('lists every disagreement and the sirens either side lacks', () => {
    const c = compareWithGroundTruth(truth, 'silent', [
      { sirenId: 'A', verdict: 'FAIL_DEVICE', detail: 'silent test: amplifier 2' },
      { sirenId: 'B', verdict: null },
      { sirenId: 'X', verdict: 'PASS' },
    ]);
    expect(c.disagreements).toEqual([
      { sirenId: 'A', expected: 'PASS', actual: 'FAIL_DEVICE', detail: 'silent test: amplifier 2' },
      { sirenId: 'B', expected: 'FAIL_NO_ACK', actual: null, detail: null },
    ]);
    expect(c.notInTruth).toEqual(['X']);
    expect(c.notInDrill).toEqual(['C', 'D']);
    expect(formatComparison(c)).toContain('DISAGREES A: expected PASS, drill says FAIL_DEVICE (silent test: amplifier 2)');
  });
});
