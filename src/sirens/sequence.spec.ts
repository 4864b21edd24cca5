import { describe, expect, it } from '@jest/globals';
import { judgeSequence, lossRate, newSequenceState, REORDER_WINDOW_MS } from './sequence.js';

describe('sequence rules', () => {
  it('applies increasing seq and counts a repeat as duplicate', () => {
    const s = newSequenceState();
    expect(judgeSequence(s, 'b1', 0, 0).verdict).toBe('applied');
    expect(judgeSequence(s, 'b1', 1, 0).verdict).toBe('applied');
    expect(judgeSequence(s, 'b1', 1, 0).verdict).toBe('duplicate');
    expect(judgeSequence(s, 'b1', 0, 0).verdict).toBe('duplicate');
    expect(s.lastSeq).toBe(1);
  });

  it('takes a new bootId as a reboot and anything from an earlier boot as late', () => {
    const s = newSequenceState();
    judgeSequence(s, 'b1', 500, 0);
    expect(judgeSequence(s, 'b2', 0, 0).verdict).toBe('applied');
    expect(s).toMatchObject({ bootId: 'b2', lastSeq: 0 });
    expect(judgeSequence(s, 'b1', 501, 0).verdict).toBe('late');
    expect(s.bootId).toBe('b2');
  });

  it('does not count a message that arrives within the reorder window as lost', () => {
    const s = newSequenceState();
    judgeSequence(s, 'b', 0, 0);
    judgeSequence(s, 'b', 2, 1000);
    expect(judgeSequence(s, 'b', 1, 1000 + REORDER_WINDOW_MS - 1)).toEqual({ verdict: 'duplicate', newlyLost: 0 });
    expect(judgeSequence(s, 'b', 3, 100_000).newlyLost).toBe(0);
    expect(s.lostSeqs).toEqual([]);
  });

  it('counts a gap as lost once the reorder window has passed', () => {
    const s = newSequenceState();
    judgeSequence(s, 'b', 0, 0);
    judgeSequence(s, 'b', 3, 0);
    expect(judgeSequence(s, 'b', 4, REORDER_WINDOW_MS).newlyLost).toBe(2);
    expect(judgeSequence(s, 'b', 1, REORDER_WINDOW_MS + 1).verdict).toBe('duplicate');
  });

  it('counts a jump beyond the window as lost at once', () => {
    const s = newSequenceState();
    judgeSequence(s, 'b', 0, 0);
    expect(judgeSequence(s, 'b', 1001, 0).newlyLost).toBe(900);
    expect(s.gaps).toHaveLength(100);
  });

  it('gives a loss rate over the last 100 expected seq, only once 20 are expected', () => {
    const s = newSequenceState();
    judgeSequence(s, 'b', 10, 0);
    for (let q = 11; q < 25; q++) judgeSequence(s, 'b', q, 0);
    expect(lossRate(s)).toBeNull();
    // 150 seq, every 10th missing: 10 % loss.
    let t = 0;
    for (let q = 25; q < 160; q++) if (q % 10 !== 0) judgeSequence(s, 'b', q, (t += 1000));
    expect(lossRate(s)).toBeCloseTo(0.1, 2);
  });

  it('joins a boot late without counting earlier seq as lost', () => {
    const s = newSequenceState();
    judgeSequence(s, 'b', 1042, 0);
    for (let q = 1043; q < 1080; q++) judgeSequence(s, 'b', q, q * 1000);
    expect(lossRate(s)).toBe(0);
  });
});
