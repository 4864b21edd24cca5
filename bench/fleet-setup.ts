/** A large fleet registered and brought online through the service, for the scale and failover benches. */
import type { BenchRun } from './bench-run.js';
import { birth, status, type MultiplexedPublisher } from './fleet-traffic.js';
import { waitUntil } from './wait.js';

export const DISTRICTS = 100;
const IMPORT_CHUNK = 25_000;
export const ONLINE_CHUNK = 10_000;

export const sirenId = (k: number) => `SC-${String(k).padStart(6, '0')}`;
const district = (k: number) => `D${String(k % DISTRICTS).padStart(3, '0')}`;

/** Registers sirens [from, to) through the import API, in chunks well under its body limit. */
export async function registerFleet(run: BenchRun, from: number, to: number): Promise<void> {
  for (let at = from; at < to; at += IMPORT_CHUNK) {
    const lines = ['id,name,districtCode,districtName,lat,lon'];
    for (let k = at; k < Math.min(to, at + IMPORT_CHUNK); k++) {
      lines.push(`${sirenId(k)},Scale siren ${k},${district(k)},District ${k % DISTRICTS},${(28 + (k % 1000) * 0.001).toFixed(4)},${(115 + Math.floor(k / 1000) * 0.001).toFixed(4)}`);
    }
    const r = await run.api<{ created: number; rejected: unknown[] }>('POST', '/api/sirens/import', lines.join('\n') + '\n', 'text/csv');
    if (r.created !== lines.length - 1 || r.rejected.length) throw new Error(`import at ${at}: created ${r.created}, rejected ${r.rejected.length}`);
  }
}

/**
 * Brings sirens [from, to) online: a birth and a status each, in chunks that the service applies before
 * the next goes out, so no status waits long enough at the broker to look skewed (CLOCK_SKEW, 60 s).
 * Waits until the summary counts them all ok.
 */
export async function bringOnline(run: BenchRun, pub: MultiplexedPublisher, from: number, to: number): Promise<number> {
  const t0 = Date.now();
  for (let at = from; at < to; at += ONLINE_CHUNK) {
    const end = Math.min(to, at + ONLINE_CHUNK);
    const ks = Array.from({ length: end - at }, (_, i) => at + i);
    await pub.publish(ks.map((k) => birth(sirenId(k), `boot-${k}`, 3_600)));
    await pub.publish(ks.map((k) => status(sirenId(k), `boot-${k}`, 0)));
    await waitUntil(`statuses of sirens up to ${end} applied`, async () => (await run.svc.applied('status')) >= end && (await run.svc.applied('availability')) >= end, 120_000, 250);
  }
  await waitUntil(`${to} sirens ok in the summary`, async () => (await run.api<{ byHealth: { ok: number } }>('GET', '/api/summary')).byHealth.ok === to, 120_000, 1_000);
  return (Date.now() - t0) / 1000;
}
