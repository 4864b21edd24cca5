import { describe, expect, it } from '@jest/globals';
import { Hearing } from './hearing.js';

const GRACE = 2_000;
const STALL = 1_000;
const TICK = 200;

/** Ticks every 200 ms from `from` up to `to`; returns what the last tick said. */
function ticks(h: Hearing, from: number, to: number): boolean {
  let judged = false;
  for (let t = from; t <= to; t += TICK) judged = h.tick(t);
  return judged;
}

describe('Hearing', () => {
  it('judges nothing before the connection is up, then only after the grace', () => {
    const h = new Hearing(GRACE, STALL);
    expect(ticks(h, 0, 5_000)).toBe(false);
    h.connected(true, 5_000);
    expect(ticks(h, 5_200, 6_800)).toBe(false);
    expect(h.tick(7_000)).toBe(true);
  });

  it('stops judging while the connection is down, and waits the grace again after it', () => {
    const h = new Hearing(GRACE, STALL);
    h.connected(true, 0);
    expect(ticks(h, 0, 3_000)).toBe(true);
    h.connected(false, 3_100);
    expect(ticks(h, 3_200, 9_000)).toBe(false);
    h.connected(true, 9_100);
    expect(ticks(h, 9_200, 11_000)).toBe(false);
    expect(h.tick(11_200)).toBe(true);
  });

  it('after its own ticks stood still longer than the stall limit, waits the grace before judging again', () => {
    const h = new Hearing(GRACE, STALL);
    h.connected(true, 0);
    expect(ticks(h, 0, 3_000)).toBe(true);
    // A late tick within the limit changes nothing.
    expect(h.tick(3_000 + STALL)).toBe(true);
    // The event loop stood still for 4 s: the acks that waited in the socket are read first.
    expect(h.tick(8_000)).toBe(false);
    expect(ticks(h, 8_200, 9_800)).toBe(false);
    expect(h.tick(10_000)).toBe(true);
  });
});
