import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

/** Callers tracked at most per minute; beyond it the window starts over early (memory stays bounded). */
const KEYS_MAX = 50_000;

/**
 * The optional general limit (RATE_LIMIT_PER_MIN, 0 = off, as API.md says nothing but logins is
 * limited by default): requests per caller per clock minute, in memory, per instance.
 */
@Injectable()
export class RateLimit {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one request of `caller`; TOO_MANY once it has used up this minute's allowance. */
  take(caller: string): void {
    const limit = this.config.RATE_LIMIT_PER_MIN;
    if (limit === 0) return;
    const minute = Math.floor(this.clock.now() / 60_000);
    if (minute !== this.window || this.counts.size >= KEYS_MAX) {
      this.window = minute;
      this.counts = new Map();
    }
    const n = (this.counts.get(caller) ?? 0) + 1;
    this.counts.set(caller, n);
    if (n > limit) throw new DomainError('TOO_MANY', `more than ${limit} requests a minute (RATE_LIMIT_PER_MIN); try again in a minute`);
  }
}
