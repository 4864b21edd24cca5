/**
 * `npm run bench:failover [N]`: two instances (CLUSTER=true) on one PostgreSQL, one Mosquitto and one
 * DATA_DIR, with N registered sirens online (default 100 000). The leader is killed (-9); the figures
 * are how long the standby takes to lead, to ingest again and to answer a console (issue 8, docs/scaling.md).
 */
import { join } from 'node:path';
import { rssOf, withService } from './bench-run.js';
import { bringOnline, registerFleet, sirenId } from './fleet-setup.js';
import { MultiplexedPublisher, status } from './fleet-traffic.js';
import { ServiceProcess } from './service-process.js';
import { figure, mib, ms } from './stats.js';
import { sleep, waitUntil } from './wait.js';

const N = Number(process.env.BENCH_SIRENS ?? process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
/** Sirens that report once more after the kill: the new leader's ingest is timed on them. */
const AFTER = Math.min(1_000, N);
const TAKEOVER_TARGET_MS = 10_000;
const progress = (what: string) => process.stderr.write(`bench:failover: ${what} (${new Date().toISOString().slice(11, 19)})\n`);

async function main(): Promise<void> {
  await withService('failover', 900, { CLUSTER: 'true' }, async (run) => {
    if (run.db !== 'postgres') throw new Error('a cluster needs PostgreSQL (127.0.0.1:5432): it holds the leader lock');
    const pub = await MultiplexedPublisher.connect(run.broker.url, 'bench-failover', 4);
    let standby: ServiceProcess | null = null;
    try {
      progress(`registering ${N} sirens and bringing them online on the leader`);
      await registerFleet(run, 0, N);
      await bringOnline(run, pub, 0, N);
      // Steady state: the state snapshot (STATE_SNAPSHOT_S, 5 s) holds what the journal had.
      await waitUntil('the leader committed', async () => (await run.svc.metrics()).get('sirenwatch_ingest_backlog') === 0, 60_000, 250);
      await sleep(6_000);
      progress('starting the standby');
      const b = (standby = await ServiceProcess.start({ ...run.setup, logFile: join(run.dir, 'standby.log'), cpuProf: false }));
      await b.waitReady(60_000);
      const standbyRss = rssOf(b.pid).current;

      progress('kill -9 of the leader');
      const killedAt = performance.now();
      await run.svc.kill();
      await waitUntil('the standby to lead', async () => (await b.health()).role === 'leader', 60_000, 20);
      const leadMs = performance.now() - killedAt;
      await waitUntil('the new leader to be healthy', async () => (await b.health()).status === 'ok', 60_000, 20);
      const healthyMs = performance.now() - killedAt;
      const before = await b.applied('status');
      await pub.publish(Array.from({ length: AFTER }, (_, i) => Math.floor((i * N) / AFTER)).map((k) => status(sirenId(k), `boot-${k}`, 1)));
      await waitUntil('the new leader to apply them', async () => (await b.applied('status')) >= before + AFTER, 60_000, 20);
      const ingestMs = performance.now() - killedAt;
      const auth = { authorization: `Bearer ${run.token}` };
      let t0 = performance.now();
      const summary = JSON.parse((await b.request('GET', '/api/summary', undefined, auth)).text) as { total: number };
      const summaryMs = performance.now() - t0;
      t0 = performance.now();
      await b.receive('/api/sirens', auth);
      const listMs = performance.now() - t0;
      if (summary.total !== N) throw new Error(`the new leader's summary counts ${summary.total} sirens, not ${N}`);

      process.stdout.write(
        [
          `failover: ${N} sirens online, two instances (CLUSTER=true, lock poll 1 s), PostgreSQL, Mosquitto (${new Date().toISOString()})`,
          figure('standby RSS while standing by', mib(standbyRss)),
          figure('kill -9 of the leader → the standby leads (/api/health)', ms(leadMs), { text: `≤ ${TAKEOVER_TARGET_MS / 1000} s`, met: leadMs <= TAKEOVER_TARGET_MS }),
          figure('→ healthy (broker connected, database up)', ms(healthyMs)),
          figure(`→ ${AFTER} statuses published after the kill applied`, ms(ingestMs)),
          figure("new leader's first GET /api/summary", ms(summaryMs)),
          figure(`new leader's first GET /api/sirens, whole list (${N})`, ms(listMs)),
          figure('new leader RSS', mib(rssOf(b.pid).current)),
        ].join('\n') + '\n',
      );
    } finally {
      await pub.close();
      await standby?.stop();
    }
  });
}

main().catch((e: Error) => {
  process.stderr.write(`bench:failover: ${e.message}\n`);
  process.exit(1);
});
