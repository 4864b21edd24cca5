/** Bounded polling: every wait of the bench ends, with a message saying what it waited for. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

const MIN_POLL_MS = 20;
const MAX_POLL_MS = 500;

/**
 * Polls a growing count until it reaches `target`; returns when it was first seen there. Polls often only
 * near the end (a /metrics scrape costs the service a walk over every siren), so the time is exact to a
 * few per cent of what remained. Throws when the count has not moved for `stallMs`: a hang, not
 * slowness (a slow run still finishes).
 */
export async function waitForCount(what: string, read: () => number | Promise<number>, target: number, stallMs: number): Promise<number> {
  const startedAt = Date.now();
  let last = -1;
  let movedAt = startedAt;
  for (;;) {
    const n = await read();
    const now = Date.now();
    if (n >= target) return now;
    if (n !== last) {
      last = n;
      movedAt = now;
    } else if (now - movedAt > stallMs) {
      throw new Error(`${what}: stuck at ${n} of ${target} for ${stallMs / 1000} s`);
    }
    const perMs = n / Math.max(1, now - startedAt);
    const remainingMs = perMs > 0 ? (target - n) / perMs : MAX_POLL_MS;
    await sleep(Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, remainingMs / 10)));
  }
}
