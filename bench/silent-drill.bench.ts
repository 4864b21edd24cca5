/**
 * `npm run bench:drill`: a silent test of N simulated sirens (default 10 000) end to end — the service
 * and the simulator as separate processes on a private Mosquitto — timing command fan-out, the last
 * verdict and the report, and checking every verdict against the simulator's ground truth.
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
import { startMosquitto } from './mosquitto.js';
import { ServiceProcess } from './service-process.js';
import { waitUntil } from './wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.env.BENCH_SIRENS ?? process.argv[2] ?? 10_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sirenwatch-drill-bench-'));
  const broker = await startMosquitto(dir);
  const svc = await ServiceProcess.start({ root: ROOT, mqttUrl: broker.url, dataDir: join(dir, 'data'), logFile: join(dir, 'service.log'), clientId: 'bench-drill', cpuProf: false });
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
    const planned = JSON.parse((await svc.request('POST', '/api/drills', JSON.stringify({ name: `silent ${N}`, scope: { all: true }, mode: 'silent' }), auth)).text) as { id: string };
    const t0 = Date.now();
    await svc.request('POST', `/api/drills/${planned.id}/start`, undefined, auth);
    const drillOf = async () => JSON.parse((await svc.request('GET', `/api/drills/${planned.id}`, undefined, auth)).text);
    await waitUntil('drill complete', async () => (await drillOf()).state === 'completed', 180_000, 250);
    const doneS = (Date.now() - t0) / 1000;
    const r0 = Date.now();
    const csv = await svc.request('GET', `/api/drills/${planned.id}/report.csv`, undefined, auth);
    const html = await svc.request('GET', `/api/drills/${planned.id}/report`, undefined, auth);
    const reportS = (Date.now() - r0) / 1000;
    const drill = await drillOf();
    const comparison = compareWithGroundTruth(JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth, 'silent', drill.results);
    process.stdout.write(
      [
        `silent test over ${N} simulated sirens (service, simulator and Mosquitto as separate processes)`,
        `  fleet connected and ok after          ${connectS.toFixed(1)} s`,
        `  start → every verdict decided          ${doneS.toFixed(1)} s (silent test itself: ~3 s on the siren)`,
        `  CSV + HTML report                      ${reportS.toFixed(2)} s (${csv.text.length} + ${html.text.length} bytes)`,
        ...formatComparison(comparison).slice(0, 12).map((l) => `  ${l}`),
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

main().catch((e: Error) => {
  process.stderr.write(`bench:drill: ${e.message}\n`);
  process.exit(1);
});
