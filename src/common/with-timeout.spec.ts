import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives what the work gives, and leaves no timer behind', async () => {
    jest.useFakeTimers();
    await expect(withTimeout(Promise.resolve('done'), 1_000, 'late')).resolves.toBe('done');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives the fallback once the time is up, and passes a failure of the work on', async () => {
    jest.useFakeTimers();
    const never = new Promise<string>(() => undefined);
    const raced = withTimeout(never, 1_000, 'late');
    await jest.advanceTimersByTimeAsync(999);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(raced).resolves.toBe('late');
    await expect(withTimeout(Promise.reject(new Error('no database')), 1_000, false)).rejects.toThrow('no database');
    expect(jest.getTimerCount()).toBe(0);
  });
});
