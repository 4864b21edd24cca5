import type { Clock } from '../common/clock.js';

/** Above this many tracked keys, entries without a failure inside the window are dropped. */
const SWEEP_ABOVE = 10_000;

/**
 * Failed-login counter per key (a username, a source address): blocked once `maxFailures` failures
 * fall inside the sliding window, until the oldest of them leaves it. In memory: a restart forgets.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** True when any of the keys has used up its failures. */
  isBlocked(...keys: string[]): boolean {
    return keys.some((k) => this.recent(k).length >= this.maxFailures);
  }

  recordFailure(...keys: string[]): void {
    for (const k of keys) {
      // Only the newest `maxFailures` matter, which bounds each entry.
      const list = [...this.recent(k), this.clock.now()].slice(-this.maxFailures);
      this.failures.set(k, list);
    }
    if (this.failures.size > SWEEP_ABOVE) this.sweep();
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }

  private sweep(): void {
    for (const k of [...this.failures.keys()]) {
      if (this.recent(k).length === 0) this.failures.delete(k);
    }
  }
}
