import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../common/clock.js';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  const window = 15 * 60_000;

  it('blocks after the 10th failure inside the window and frees once the window passes', () => {
    const clock = new FakeClock();
    const t = new LoginThrottle(clock, 10, window);
    for (let i = 0; i < 9; i++) {
      t.recordFailure('user:a');
      clock.advance(1000);
    }
    expect(t.isBlocked('user:a')).toBe(false);
    t.recordFailure('user:a');
    expect(t.isBlocked('user:a')).toBe(true);
    expect(t.isBlocked('user:b')).toBe(false);
    // The first failure leaves the window 15 minutes after it happened.
    clock.set(clock.now() - 9000 + window - 1);
    expect(t.isBlocked('user:a')).toBe(true);
    clock.advance(1);
    expect(t.isBlocked('user:a')).toBe(false);
    clock.advance(window);
    for (let i = 0; i < 9; i++) t.recordFailure('user:a');
    expect(t.isBlocked('user:a')).toBe(false);
  });

  it('blocks when any of the keys is exhausted', () => {
    const clock = new FakeClock();
    const t = new LoginThrottle(clock, 3, window);
    t.recordFailure('user:a', 'source:1.2.3.4');
    t.recordFailure('user:b', 'source:1.2.3.4');
    t.recordFailure('user:c', 'source:1.2.3.4');
    expect(t.isBlocked('user:d', 'source:1.2.3.4')).toBe(true);
    expect(t.isBlocked('user:a', 'source:5.6.7.8')).toBe(false);
  });

  it('forgets a key on reset', () => {
    const clock = new FakeClock();
    const t = new LoginThrottle(clock, 2, window);
    t.recordFailure('user:a');
    t.recordFailure('user:a');
    expect(t.isBlocked('user:a')).toBe(true);
    t.reset('user:a');
    expect(t.isBlocked('user:a')).toBe(false);
  });
});
