/**
 * `npm run bench:scale`: 100 000 registered sirens reporting (a few multiplexed publisher connections),
 * then the service's memory, the summary and siren-list answer times, and the offline sweep's cost per
 * siren at a tenth of the fleet and at the whole, each next to its target (issue 8). See bench/README.md.
 */
import { join } from 'node:path';
import { startCpuWindow } from './cpu-accounting.js';
import { formatSummary, summariseProfile } from './cpu-profile-summary.js';
import { MultiplexedPublisher, status } from './fleet-traffic.js';
import { bringOnline, DISTRICTS, ONLINE_CHUNK, registerFleet, sirenId as id } from './fleet-setup.js';
import { ROOT, withService, rssOf, type BenchRun } from './bench-run.js';
import { figure, mib, ms, quantile, timeCalls } from './stats.js';
import { sleep, waitUntil } from './wait.js';

const args = process.argv.slice(2);
/** --cpu-prof: profile the service while the API is timed (the figures are then slower). */
const CPU_PROF = args.includes('--cpu-prof');
const N = Number(process.env.BENCH_SIRENS ?? args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const PROFILE_FILE = join(ROOT, 'dist/bench-scale.cpuprofile');
const SMALL = Math.round(N / 10);
const CALLS = 20;
const HEARTBEAT_CALLS = 5;
const SWEEP_S = 0.5;
const SWEEP_WINDOW_MS = 8_000;
const progress = (what: string) => process.stderr.write(`bench:scale: ${what} (${new Date().toISOString().slice(11, 19)})\n`);

/**
 * Every siren reports once more (the same values: a heartbeat, as each does every intervalS), then the
 * whole list is asked for, as a console loading while the fleet reports would.
 */
async function heartbeatThenList(run: BenchRun, pub: MultiplexedPublisher, get: () => Promise<unknown>): Promise<number[]> {
  const before = await run.svc.applied('status');
  for (let at = 0; at < N; at += ONLINE_CHUNK) {
    const ks = Array.from({ length: Math.min(N, at + ONLINE_CHUNK) - at }, (_, i) => at + i);
    await pub.publish(ks.map((k) => status(id(k), `boot-${k}`, 1)));
  }
  await waitUntil('every heartbeat applied', async () => (await run.svc.applied('status')) >= before + N, 120_000, 250);
  // A real fleet's heartbeats are spread over intervalS: time the list, not the commit of 100 000 at once.
  await waitUntil('the heartbeats committed', async () => (await run.svc.metrics()).get('sirenwatch_ingest_backlog') === 0, 120_000, 250);
  return timeCalls(HEARTBEAT_CALLS, get);
}

/** Mean sweep duration over a window, from the service's sirenwatch_sweep_seconds histogram. */
async function sweepCost(run: BenchRun): Promise<{ perSweepMs: number; sweeps: number; sirens: number }> {
  const read = async () => {
    const m = await run.svc.metrics();
    return { sum: m.get('sirenwatch_sweep_seconds_sum') ?? 0, count: m.get('sirenwatch_sweep_seconds_count') ?? 0, sirens: m.get('sirenwatch_sweep_sirens') ?? 0 };
  };
  const a = await read();
  await sleep(SWEEP_WINDOW_MS);
  const b = await read();
  if (b.count <= a.count) throw new Error('no offline sweep ran in the window');
  return { perSweepMs: ((b.sum - a.sum) * 1000) / (b.count - a.count), sweeps: b.count - a.count, sirens: b.sirens };
}

async function main(): Promise<void> {
  await withService('scale', 900, { OFFLINE_SWEEP_S: String(SWEEP_S) }, async (run) => {
    const lines: string[] = [];
    const cpu = startCpuWindow([run.broker.pid, run.svc.pid], run.db === 'postgres');
    const pub = await MultiplexedPublisher.connect(run.broker.url, 'bench-scale', 4);
    try {
      const i0 = Date.now();
      progress(`registering ${SMALL} sirens`);
      await registerFleet(run, 0, SMALL);
      progress('bringing them online');
      const onlineSmall = await bringOnline(run, pub, 0, SMALL);
      const small = await sweepCost(run);
      progress(`registering ${N - SMALL} more`);
      await registerFleet(run, SMALL, N);
      const importS = (Date.now() - i0) / 1000 - onlineSmall;
      progress('bringing them online');
      const onlineAll = onlineSmall + (await bringOnline(run, pub, SMALL, N));
      const all = await sweepCost(run);
      progress('timing the API');
      if (CPU_PROF) await run.svc.profile({ cpuProfile: 'start' });

      const sd = (await run.api<{ districtCode: string }[]>('GET', '/api/sirens?district=D007')).length;
      // The whole answer received, not parsed: the bench's own decoding is no part of the service's time.
      const get = (path: string) => () => run.svc.receive(path, { authorization: `Bearer ${run.token}` });
      const summary = await timeCalls(CALLS, get('/api/summary'));
      const list = await timeCalls(CALLS, get('/api/sirens'));
      const filtered = await timeCalls(CALLS, get('/api/sirens?district=D007'));
      if (CPU_PROF) await run.svc.profile({ cpuProfile: 'stop', file: PROFILE_FILE });
      const rss = rssOf(run.svc.pid);
      progress('a heartbeat from every siren, then the whole list');
      const afterHeartbeat = await heartbeatThenList(run, pub, get('/api/sirens'));
      const rssAfter = rssOf(run.svc.pid);
      const use = cpu();

      const µs = (msValue: number) => `${(msValue * 1000).toFixed(0)} µs`;
      const perSiren = (c: typeof small) => (c.perSweepMs * 1e6) / c.sirens; // ns
      const ratio = perSiren(all) / perSiren(small);
      const http = (what: string, t: number[]) => figure(`${what} (median / max of ${CALLS})`, `${ms(quantile(t, 0.5))} / ${ms(Math.max(...t))}`, { text: '≤ 200 ms', met: Math.max(...t) <= 200 });
      lines.push(
        `scale: ${N} sirens in ${DISTRICTS} districts, ${run.db === 'postgres' ? 'PostgreSQL' : 'SQLite'}, Mosquitto, 4 publisher connections (${new Date().toISOString()})`,
        figure('registered through POST /api/sirens/import (chunks of 25 000)', `${importS.toFixed(1)} s`),
        figure('birth + status for every siren, until all applied and ok', `${onlineAll.toFixed(1)} s`),
        figure('service RSS now (VmRSS)', mib(rss.current), { text: '≤ 400 MiB', met: rss.current <= 400 * 2 ** 20 }),
        figure('service RSS peak (VmHWM)', mib(rss.peak), { text: '≤ 400 MiB', met: rss.peak <= 400 * 2 ** 20 }),
        figure('service RSS after the heartbeat below (VmRSS / VmHWM)', `${mib(rssAfter.current)} / ${mib(rssAfter.peak)}`),
        http('GET /api/summary', summary),
        http(`GET /api/sirens, whole list (${N})`, list),
        http(`GET /api/sirens?district=D007 (${sd})`, filtered),
        figure(`whole list after a heartbeat from every siren (first / median / max of ${HEARTBEAT_CALLS})`, `${ms(afterHeartbeat[0])} / ${ms(quantile(afterHeartbeat, 0.5))} / ${ms(Math.max(...afterHeartbeat))}`, { text: '≤ 200 ms', met: Math.max(...afterHeartbeat) <= 200 }),
        figure(`offline sweep at ${small.sirens} sirens (${small.sweeps} sweeps)`, `${µs(small.perSweepMs)} = ${perSiren(small).toFixed(1)} ns/siren`),
        figure(`offline sweep at ${all.sirens} sirens (${all.sweeps} sweeps)`, `${µs(all.perSweepMs)} = ${perSiren(all).toFixed(1)} ns/siren`),
        figure('per-siren sweep cost, whole ÷ tenth', ratio.toFixed(2), { text: 'flat (≤ 1.5)', met: ratio <= 1.5 }),
        figure('other work on the machine meanwhile (CPU share)', `${(use.foreignShare * 100).toFixed(0)} %`),
      );
      if (CPU_PROF) lines.push('', formatSummary(summariseProfile(PROFILE_FILE, ROOT), PROFILE_FILE));
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await pub.close();
    }
  }, CPU_PROF);
}

main().catch((e: Error) => {
  process.stderr.write(`bench:scale: ${e.message}\n`);
  process.exit(1);
});
