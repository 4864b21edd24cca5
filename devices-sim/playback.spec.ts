import { describe, expect, it } from '@jest/globals';
import { findBuiltinPattern, patternLengthS } from '../src/protocol/index.js';
import { seededRandom } from '../src/protocol/random.js';
import { ManualClock } from './clock.js';
import { Playback, playbackLengthS } from './playback.js';

const airRaid = findBuiltinPattern('cn.air-raid')!;

function play(timeScale: number, driftFactor = 1) {
  const clock = new ManualClock();
  const t0 = clock.now();
  const done: { at: number; onSeconds: number[] }[] = [];
  const p = new Playback(clock, airRaid, { timeScale, driftFactor, random: seededRandom(1) }, (onSeconds) => done.push({ at: clock.now() - t0, onSeconds }));
  p.start();
  return { clock, done, p };
}

describe('pattern playback', () => {
  it('ends with the last sounding period, reporting every period within ±2 %', async () => {
    const { clock, done } = play(1);
    await clock.advance(173_999);
    expect(done).toEqual([]);
    await clock.advance(1);
    expect(done).toHaveLength(1);
    // 15 × 6 s on, 14 × 6 s off between them: 174 s.
    expect(done[0].at).toBe(174_000);
    expect(done[0].onSeconds).toHaveLength(15);
    for (const s of done[0].onSeconds) expect(Math.abs(s - 6) / 6).toBeLessThanOrEqual(0.02);
  });

  it('compresses wall time by timeScale and still reports pattern seconds', async () => {
    const { clock, done } = play(0.05);
    await clock.advance(174_000 * 0.05);
    expect(done).toHaveLength(1);
    expect(done[0].at).toBe(8700);
    for (const s of done[0].onSeconds) expect(s).toBeCloseTo(6, 0);
  });

  it('stretches sounding periods under drift, not the pauses', async () => {
    const { clock, done } = play(1, 1.5);
    await clock.advance(playbackLengthS(airRaid, 1.5) * 1000);
    expect(done[0].at).toBe((15 * 9 + 14 * 6) * 1000);
    for (const s of done[0].onSeconds) expect(s).toBeCloseTo(9, 0);
  });

  it('stops on cancel with the periods so far, the current one as measured', async () => {
    const { clock, done, p } = play(0.5);
    // Two full periods (6 s on + 6 s off each, halved), then 2 pattern seconds into the third.
    await clock.advance(12_000 + 1000);
    const measured = p.cancel();
    expect(measured).toHaveLength(3);
    expect(measured[2]).toBe(2);
    await clock.advance(1_000_000);
    expect(done).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('counts a cancel during a pause as no extra period', async () => {
    const { clock, p } = play(1);
    await clock.advance(8000);
    expect(p.cancel()).toHaveLength(1);
  });

  it('agrees with the protocol’s pattern length', () => {
    for (const name of ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear', 'test.short']) {
      const pattern = findBuiltinPattern(name)!;
      expect(playbackLengthS(pattern) + pattern.periods.at(-1)!.off).toBe(patternLengthS(pattern));
    }
  });
});
