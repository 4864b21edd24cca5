/**
 * `npm run bench:drill`: a silent test of N simulated sirens (default 10 000) end to end — the service
 * and the simulator as separate processes on a private Mosquitto — timing command fan-out, the last
 * verdict and the report, and checking every verdict against the simulator's ground truth. Issue 8's
 * targets: commands out within 5 s, each verdict within 1 s of the siren's last message, report ≤ 2 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareWithGroundTruth, formatComparison } from '../devices-sim/compare.js';
import type { GroundTruth } from '../devices-sim/ground-truth.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import mqtt from 'mqtt';
import { startCpuWindow } from './cpu-accounting.js';
import { formatSummary, summariseProfile } from './cpu-profile-summary.js';
import { figure, ms, quantile } from './stats.js';
import { startMosquitto } from './mosquitto.js';
import { ServiceProcess } from './service-process.js';
import { waitUntil } from './wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.env.BENCH_SIRENS ?? process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
/** --cpu-prof: profile the service from the start of the drill until every verdict is in. */
const CPU_PROF = process.argv.includes('--cpu-prof');
const PROFILE_FILE = join(ROOT, 'dist/bench-drill.cpuprofile');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sirenwatch-drill-bench-'));
  const broker = await startMosquitto(dir);
  const svc = await ServiceProcess.start({ root: ROOT, mqttUrl: broker.url, dataDir: join(dir, 'data'), logFile: join(dir, 'service.log'), clientId: 'bench-drill', cpuProf: CPU_PROF });
  const sirens = demoCity(N);
  const registry = join(dir, 'registry.csv');
  const truthFile = join(dir, 'ground-truth.json');
  writeFileSync(registry, registryToCsv(sirens));
  const sim = spawn(process.execPath, [join(ROOT, 'dist/devices-sim/main.js'), '--url', broker.url, '--registry', registry, '--interval', '60', '--ground-truth', truthFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await svc.waitReady(30_000);
    await svc.importRegistry(registryToCsv(sirens), N);
    const auth = { authorization: `Bearer ${await svc.token()}`, 'content-type': 'application/json' };
    const summary = async () => JSON.parse((await svc.request('GET', '/api/summary', undefined, auth)).text) as { byHealth: Record<string, number> };
    const connectStart = Date.now();
    await waitUntil(`all ${N} sirens ok`, async () => (await summary()).byHealth.ok === N, 180_000, 1_000);
    const connectS = (Date.now() - connectStart) / 1000;
    const wire = await watchWire(broker.url);
    const cpu = startCpuWindow([broker.pid, svc.pid, sim.pid!], false);
    const planned = JSON.parse((await svc.request('POST', '/api/drills', JSON.stringify({ name: `silent ${N}`, scope: { all: true }, mode: 'silent' }), auth)).text) as { id: string };
    if (CPU_PROF) await svc.profile({ cpuProfile: 'start' });
    const t0 = Date.now();
    await svc.request('POST', `/api/drills/${planned.id}/start`, undefined, auth);
    const drillOf = async () => JSON.parse((await svc.request('GET', `/api/drills/${planned.id}`, undefined, auth)).text);
    // Once a second, as the console's drill page reloads it (console/src/drill-view.ts, RELOAD_MS).
    await waitUntil('drill complete', async () => (await drillOf()).state === 'completed', 180_000, 1_000);
    const doneS = (Date.now() - t0) / 1000;
    if (CPU_PROF) await svc.profile({ cpuProfile: 'stop', file: PROFILE_FILE });
    const r0 = Date.now();
    const csv = await svc.request('GET', `/api/drills/${planned.id}/report.csv`, undefined, auth);
    const r1 = Date.now();
    const html = await svc.request('GET', `/api/drills/${planned.id}/report`, undefined, auth);
    const [csvMs, htmlMs] = [r1 - r0, Date.now() - r1];
    const drill = await drillOf();
    const use = cpu();
    await wire.client.endAsync();
    const cmds = wire.commands.length;
    const commandsOutMs = cmds ? wire.commands[cmds - 1] - wire.commands[0] : NaN;
    // Each siren's verdict against its own last message (ack or test result) as the broker delivered it.
    const delays = (drill.results as { sirenId: string; decidedAt: string | null }[])
      .filter((r) => r.decidedAt && wire.lastMessage.has(r.sirenId))
      .map((r) => Date.parse(r.decidedAt!) - wire.lastMessage.get(r.sirenId)!);
    const comparison = compareWithGroundTruth(JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth, 'silent', drill.results);
    process.stdout.write(
      [
        `silent test over ${N} simulated sirens (service, simulator and Mosquitto as separate processes)`,
        `  fleet connected and ok after          ${connectS.toFixed(1)} s`,
        `  start → every verdict decided          ${doneS.toFixed(1)} s (silent test itself: ~3 s on the siren)`,
        figure(`commands out, first to last seen on the broker (${cmds})`, ms(commandsOutMs), { text: '≤ 5 s', met: cmds === N && commandsOutMs <= 5_000 }),
        figure('  commands seen by 25 / 50 / 75 / 90 % of them', [0.25, 0.5, 0.75, 0.9].map((q) => ms(quantile(wire.commands, q) - wire.commands[0])).join(' / ')),
        figure(`verdict after the siren's last message, p99 (${delays.length} sirens)`, ms(quantile(delays, 0.99))),
        figure("verdict after the siren's last message, max", ms(Math.max(...delays)), { text: '≤ 1 s', met: delays.length > 0 && Math.max(...delays) <= 1_000 }),
        figure(`CSV report (${csv.text.length} bytes)`, ms(csvMs), { text: '≤ 2 s', met: csvMs <= 2_000 }),
        figure(`HTML report (${html.text.length} bytes)`, ms(htmlMs), { text: '≤ 2 s', met: htmlMs <= 2_000 }),
        figure('CPU from start to report: service / simulator / Mosquitto', [svc.pid, sim.pid!, broker.pid].map((p) => `${((use.byPid.get(p) ?? 0) / 1000).toFixed(1)} s`).join(' / ')),
        figure('other work on the machine meanwhile (CPU share)', `${(use.foreignShare * 100).toFixed(0)} %`),
        ...formatComparison(comparison).slice(0, 12).map((l) => `  ${l}`),
        ...(CPU_PROF ? ['', formatSummary(summariseProfile(PROFILE_FILE, ROOT), PROFILE_FILE)] : []),
      ].join('\n') + '\n',
    );
    process.exitCode = comparison.disagreements.length ? 1 : 0;
  } finally {
    sim.kill('SIGTERM');
    await new Promise((r) => sim.once('exit', r));
    await svc.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Watches the drill's traffic as the broker delivers it: when each command went out, each siren's last answer. */
async function watchWire(url: string) {
  const client = await mqtt.connectAsync(url, { clientId: 'bench-drill-watch' });
  const commands: number[] = [];
  const lastMessage = new Map<string, number>();
  client.on('message', (topic) => {
    const [, , , id, channel] = topic.split('/'); // sirenwatch/v1/sirens/{id}/{channel}
    if (channel === 'cmd') commands.push(Date.now());
    else lastMessage.set(id, Date.now());
  });
  await client.subscribeAsync(['cmd', 'ack', 'event'].map((c) => `sirenwatch/v1/sirens/+/${c}`), { qos: 0 });
  return { client, commands, lastMessage };
}

main().catch((e: Error) => {
  process.stderr.write(`bench:drill: ${e.message}\n`);
  process.exit(1);
});
