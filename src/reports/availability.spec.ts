import { describe, expect, it } from '@jest/globals';
import { availabilityRow, sirenAvailability } from './availability.js';
import { subtract, union } from './intervals.js';

const H = 3_600_000;
const t0 = Date.parse('2026-09-01T00:00:00Z');
const at = (h: number) => t0 + h * H;
const none = { offline: [], impaired: [], maintenance: [] };

describe('interval arithmetic', () => {
  it('joins overlapping and touching intervals, drops empty ones', () => {
    expect(union([[at(5), at(6)], [at(1), at(3)], [at(2), at(4)], [at(4), at(4.5)], [at(7), at(7)]])).toEqual([[at(1), at(4.5)], [at(5), at(6)]]);
  });

  it('subtracts holes, including ones that cover an edge or the whole', () => {
    expect(subtract([[at(0), at(10)]], [[at(-1), at(1)], [at(4), at(5)], [at(9), at(12)]])).toEqual([[at(1), at(4)], [at(5), at(9)]]);
    expect(subtract([[at(0), at(10)]], [[at(-1), at(11)]])).toEqual([]);
  });
});

describe('availability of one siren', () => {
  it('is exact for known offline intervals', () => {
    // 24 h period; offline 2 h and 1 h 30 min: 3.5 h down.
    const a = sirenAvailability(at(0), at(24), { ...none, offline: [[at(2), at(4)], [at(10), at(11.5)]] });
    expect(a).toEqual({ countedMs: 24 * H, offlineMs: 3.5 * H, impairedMs: 0, availability: 1 - 3.5 / 24, repairsMs: [2 * H, 1.5 * H] });
  });

  it('counts offline and impaired time that overlap once, as offline', () => {
    const a = sirenAvailability(at(0), at(10), { ...none, offline: [[at(1), at(3)]], impaired: [[at(2), at(5)], [at(4), at(6)]] });
    expect(a.offlineMs).toBe(2 * H);
    expect(a.impairedMs).toBe(3 * H);
    expect(a.availability).toBeCloseTo(0.5, 12);
    // One down stretch 1 h → 6 h.
    expect(a.repairsMs).toEqual([5 * H]);
  });

  it('cuts intervals at the period edges, and measures a repair that began before the period whole', () => {
    const a = sirenAvailability(at(0), at(10), { ...none, offline: [[at(-3), at(1)], [at(9), at(12)]] });
    expect(a.offlineMs).toBe(2 * H);
    expect(a.availability).toBeCloseTo(0.8, 12);
    // The first ended inside the period (4 h long); the second ended after it: not a repair of this period.
    expect(a.repairsMs).toEqual([4 * H]);
  });

  it('counts an open interval up to the period end and never as a repair', () => {
    const a = sirenAvailability(at(0), at(10), { ...none, impaired: [[at(6), Infinity]] });
    expect(a.impairedMs).toBe(4 * H);
    expect(a.availability).toBeCloseTo(0.6, 12);
    expect(a.repairsMs).toEqual([]);
  });

  it('leaves maintenance time out of the period and out of the down time', () => {
    // Offline 2 h → 6 h, of which 4 h → 5 h in maintenance; maintenance still open at the end.
    const a = sirenAvailability(at(0), at(10), { ...none, offline: [[at(2), at(6)]], maintenance: [[at(4), at(5)], [at(8), Infinity]] });
    expect(a.countedMs).toBe(7 * H);
    expect(a.offlineMs).toBe(3 * H);
    expect(a.availability).toBeCloseTo(4 / 7, 12);
  });

  it('has no figure when the whole period was maintenance', () => {
    const a = sirenAvailability(at(0), at(10), { ...none, offline: [[at(1), at(2)]], maintenance: [[at(-1), Infinity]] });
    expect(a).toMatchObject({ countedMs: 0, offlineMs: 0, availability: null });
  });

  it('has no figure for an empty period (a siren registered after it)', () => {
    expect(sirenAvailability(at(10), at(5), none).availability).toBeNull();
  });
});

describe('availability rows', () => {
  it('averages the sirens, sums the seconds and takes the mean of every repair', () => {
    const a = sirenAvailability(at(0), at(10), { ...none, offline: [[at(1), at(2)]] });
    const b = sirenAvailability(at(0), at(10), { ...none, impaired: [[at(3), at(6)], [at(7), at(9)]] });
    const c = sirenAvailability(at(0), at(10), { ...none, maintenance: [[at(0), at(10)]] });
    expect(availabilityRow([a, b, c])).toEqual({ availability: 0.7, offlineSeconds: 3600, impairedSeconds: 5 * 3600, mttrSeconds: 2 * 3600, repairs: 3 });
  });

  it('rounds once: availability to 6 places, seconds to milliseconds', () => {
    const a = sirenAvailability(at(0), at(3), { ...none, offline: [[at(1), at(1) + 1234.6]] });
    expect(availabilityRow([a])).toEqual({ availability: 0.999886, offlineSeconds: 1.235, impairedSeconds: 0, mttrSeconds: 1.235, repairs: 1 });
  });
});
