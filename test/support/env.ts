import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Under CI every real server is provided; a test that needs one fails loudly when it is missing. */
export const IN_CI = process.env.CI === 'true';

/** PostgreSQL + Mosquitto for the "production" variant, when reachable (CI sets both). */
export function externalServers(): { databaseUrl: string; mqttUrl: string } | null {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const mqttUrl = process.env.TEST_MQTT_URL;
  if (databaseUrl && mqttUrl) return { databaseUrl, mqttUrl };
  if (IN_CI) throw new Error('CI=true but TEST_DATABASE_URL / TEST_MQTT_URL are not set: .ci/run must provide PostgreSQL and Mosquitto');
  return null;
}

export type Backend = 'embedded' | 'external';
/** The backends a medium test runs on: embedded always, external where the servers are given. */
export function backends(): Backend[] {
  return externalServers() ? ['embedded', 'external'] : ['embedded'];
}

export function tempDir(prefix = 'sirenwatch-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const uniq = () => Math.random().toString(36).slice(2, 10);

/** Polls until `check` returns a truthy value or the time is up (then throws with the last value). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
