/**
 * `npm run bench:latency`: how long a siren's status change takes to reach a console's live stream
 * (PROTOCOL.md status → MQTT → service → SSE `siren` event) while ingest runs at full rate: background
 * status traffic paced at 90 % of what the service was just measured to apply, and a probe siren whose
 * `mains` flips about every 200 ms. Target p99 ≤ 250 ms (issue 8); SSE coalesces per 100 ms (API.md).
 */
import { join } from 'node:path';
import { startCpuWindow } from './cpu-accounting.js';
import { formatSummary, summariseProfile } from './cpu-profile-summary.js';
import { birth, MultiplexedPublisher, status, type Message } from './fleet-traffic.js';
import { ROOT, withService, type BenchRun } from './bench-run.js';
import { startPublishing } from './publish.js';
import { SseClient, listeningPort } from './sse-client.js';
import { figure, ms, quantile } from './stats.js';
import { registryCsv, statusPayload, statusTopic } from './status-traffic.js';
import { sleep, waitForCount } from './wait.js';

/** --cpu-prof: profile the service while the probes run. */
const CPU_PROF = process.argv.includes('--cpu-prof');
const PROFILE_FILE = join(ROOT, 'dist/bench-latency.cpuprofile');
const SIRENS = 4 * Math.round(Number(process.env.BENCH_SIRENS ?? 10_000) / 4); // lanes × k: a siren keeps its lane
const PROBES = Number(process.env.BENCH_PROBES ?? 100);
const CALIBRATION = Number(process.env.BENCH_CALIBRATION ?? 60_000);
const PACE = 0.9;
const TICK_MS = 50;
const PROBE_TIMEOUT_MS = 5_000;
const PROBE = 'PROBE-0001';

const appliedCount = (run: BenchRun) => () => run.svc.applied('status');

/** What the service applies at full speed, with a console connected: M messages as fast as the broker takes them. */
async function calibrate(run: BenchRun): Promise<number> {
  const before = await appliedCount(run)();
  const publishing = startPublishing({ url: run.broker.url, clientIdPrefix: 'bench-latency-cal', sirens: SIRENS, messages: CALIBRATION, bootPrefix: 'cal' });
  try {
    const started = await publishing.started;
    const doneAt = await waitForCount('calibration applied', appliedCount(run), before + CALIBRATION, 60_000);
    return CALIBRATION / ((doneAt - started) / 1000);
  } finally {
    await publishing.stop();
  }
}

/** Status traffic at `rate` msg/s over every background siren until stopped; returns the messages sent. */
function paced(pub: MultiplexedPublisher, rate: number): { stop: () => Promise<number> } {
  const perTick = 4 * Math.max(1, Math.round((rate * TICK_MS) / 1000 / 4));
  let i = 0;
  let running = true;
  const loop = (async () => {
    const t0 = Date.now();
    while (running) {
      const batch: Message[] = [];
      for (let n = 0; n < perTick; n++, i++) batch.push({ topic: statusTopic(i % SIRENS), payload: statusPayload(i % SIRENS, `bg-${i % SIRENS}`, Math.floor(i / SIRENS), new Date().toISOString()) });
      await pub.publish(batch);
      const due = t0 + (i / perTick) * TICK_MS;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  })();
  return { stop: async () => ((running = false), await loop, i) };
}

/** Flips the probe's mains and waits for the stream to show it; the latencies in ms (timeouts left out, counted). */
async function probe(pub: MultiplexedPublisher, sse: SseClient): Promise<{ latencies: number[]; lost: number }> {
  const latencies: number[] = [];
  let lost = 0;
  for (let i = 0; i < PROBES; i++) {
    const mains = i % 2 === 1;
    const seen = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => (off(), resolve(null)), PROBE_TIMEOUT_MS);
      const off = sse.on((e) => {
        const d = e.data as { id?: string; mains?: boolean };
        if (e.event === 'siren' && d.id === PROBE && d.mains === mains) (clearTimeout(timer), off(), resolve(e.at));
      });
    });
    const t0 = Date.now();
    await pub.publish([status(PROBE, 'probe', i + 1, { mains })]);
    const at = await seen;
    if (at === null) lost++;
    else latencies.push(at - t0);
    await sleep(150 + Math.random() * 100); // not in step with the 100 ms coalescing tick
  }
  return { latencies, lost };
}

async function main(): Promise<void> {
  await withService('latency', 600, {}, async (run) => {
    await run.api('POST', '/api/sirens/import', registryCsv(SIRENS), 'text/csv');
    await run.api('POST', '/api/sirens/import', `id,name,districtCode,districtName,lat,lon\n${PROBE},Probe,PROBE,Probe district,28.5,115.5\n`, 'text/csv');
    const sse = await SseClient.open(`http://127.0.0.1:${listeningPort(run.svc.pid)}`, run.token);
    const probePub = await MultiplexedPublisher.connect(run.broker.url, 'bench-latency-probe', 1);
    const bgPub = await MultiplexedPublisher.connect(run.broker.url, 'bench-latency-bg', 4);
    try {
      await probePub.publish([birth(PROBE, 'probe', 3_600), status(PROBE, 'probe', 0)]);
      const fullRate = await calibrate(run);
      const rate = Number(process.env.BENCH_RATE ?? PACE * fullRate);
      const cpu = startCpuWindow([run.broker.pid, run.svc.pid], run.db === 'postgres');
      const appliedBefore = await appliedCount(run)();
      const t0 = Date.now();
      const background = paced(bgPub, rate);
      await sleep(2_000); // into the steady state
      if (CPU_PROF) await run.svc.profile({ cpuProfile: 'start' });
      const { latencies, lost } = await probe(probePub, sse);
      if (CPU_PROF) await run.svc.profile({ cpuProfile: 'stop', file: PROFILE_FILE });
      const sent = await background.stop();
      const seconds = (Date.now() - t0) / 1000;
      const appliedRate = ((await appliedCount(run)()) - appliedBefore) / seconds;
      const use = cpu();
      const p99 = quantile(latencies, 0.99);
      process.stdout.write(
        [
          `latency: status change → SSE siren event, ${SIRENS} background sirens, ${run.db === 'postgres' ? 'PostgreSQL' : 'SQLite'}, Mosquitto (${new Date().toISOString()})`,
          figure('service at full speed, console connected (calibration)', `${fullRate.toFixed(0)} msg/s`),
          figure(`background traffic sent (${(PACE * 100).toFixed(0)} % of that) / applied`, `${(sent / seconds).toFixed(0)} / ${appliedRate.toFixed(0)} msg/s`),
          figure(`probes seen in the stream (of ${PROBES}; timeout ${PROBE_TIMEOUT_MS / 1000} s)`, `${latencies.length}`, { text: `all ${PROBES}`, met: lost === 0 }),
          figure('latency p50', ms(quantile(latencies, 0.5))),
          figure('latency p99', ms(p99), { text: '≤ 250 ms', met: lost === 0 && p99 <= 250 }),
          figure('latency max', ms(Math.max(...latencies))),
          figure('other work on the machine meanwhile (CPU share)', `${(use.foreignShare * 100).toFixed(0)} %`),
          ...(CPU_PROF ? ['', formatSummary(summariseProfile(PROFILE_FILE, ROOT), PROFILE_FILE)] : []),
        ].join('\n') + '\n',
      );
    } finally {
      sse.close();
      await Promise.all([probePub.close(), bgPub.close()]);
    }
  }, CPU_PROF);
}

main().catch((e: Error) => {
  process.stderr.write(`bench:latency: ${e.message}\n`);
  process.exit(1);
});
