/**
 * `npm run bench`: how fast the service ingests siren status compared with what mqtt.js alone can take
 * from the same broker (DESIGN.md "Rules that make it trustworthy"). See bench/README.md.
 *
 * Everything it starts (Mosquitto, the service, a scratch database, publisher threads) is stopped at the
 * end, and the whole run is bounded in time: on a hang it reports what it was waiting for and exits 1.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBaseline } from './baseline-phase.js';
import { formatSummary } from './cpu-profile-summary.js';
import { startMosquitto } from './mosquitto.js';
import { answers } from './net.js';
import { parseBenchOptions, USAGE, UsageError, type BenchOptions } from './options.js';
import type { PhaseRun } from './publish.js';
import { formatResult, makeResult, rate } from './report.js';
import { createScratchDatabase, PG_PORT } from './scratch-database.js';
import { runIdiomatic } from './idiomatic-phase.js';
import { runServicePhase } from './service-phase.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULT_FILE = join(ROOT, 'dist/bench-results.json');
const PROFILE_FILE = join(ROOT, 'dist/bench-service.cpuprofile');
const STALL_MS = 60_000;
/** Phase 3 saves one row per round trip: a tenth of the traffic, at most 20 000, gives its rate. */
const IDIOMATIC_MAX = 20_000;
const CLEANUP_STEP_MS = 20_000;

const cleanups: { what: string; stop: () => Promise<void> }[] = [];

/** Runs every registered stop, newest first, each bounded, none able to stop the others. */
async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    const { what, stop } = cleanups.pop()!;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CLEANUP_STEP_MS)));
    try {
      await Promise.race([stop(), late]);
    } catch (e) {
      process.stderr.write(`bench: cleanup of ${what} failed: ${(e as Error).message}\n`);
    } finally {
      clearTimeout(timer);
    }
  }
}

let failure: Promise<never> | null = null;

/** Reports, cleans up and exits; later calls (echoes of the first failure, as cleanup breaks things) join it. */
function fail(message: string, workDir: string, code = 1): Promise<never> {
  failure ??= (async () => {
    process.stderr.write(`\nbench FAILED: ${message}\nlogs kept in ${workDir}\n`);
    // Should a stop hang beyond its own bound, exit anyway.
    setTimeout(() => process.exit(code), cleanups.length * CLEANUP_STEP_MS + 5_000).unref();
    await cleanUp();
    process.exit(code);
  })();
  return failure;
}

async function chooseDatabase(o: BenchOptions): Promise<'sqlite' | 'postgres'> {
  if (o.db !== 'auto') return o.db;
  return (await answers(PG_PORT)) ? 'postgres' : 'sqlite';
}

async function bench(o: BenchOptions, workDir: string): Promise<void> {
  const tag = randomBytes(4).toString('hex');
  const db = await chooseDatabase(o);
  const tuning = Object.entries(o.serviceEnv).map(([k, v]) => `${k}=${v}`);
  if (tuning.length) console.log(`bench: service environment ${tuning.join(' ')}`);
  console.log(`bench: ${o.sirens} sirens, ${o.messages} status messages per phase, ${db === 'postgres' ? 'PostgreSQL' : 'SQLite'}; work dir ${workDir}`);
  const broker = await startMosquitto(workDir);
  cleanups.push({ what: `Mosquitto (pid ${broker.pid})`, stop: broker.stop });
  const run: PhaseRun = {
    url: broker.url,
    brokerPid: broker.pid,
    withPostgres: db === 'postgres',
    tag,
    sirens: o.sirens,
    messages: o.messages,
    stallMs: STALL_MS,
    onCleanup: (what, stop) => cleanups.push({ what, stop }),
  };

  console.log('phase 1: bare mqtt.js subscriber…');
  const baseline = await runBaseline(run);

  let databaseUrl: string | undefined;
  if (db === 'postgres') {
    const scratch = await createScratchDatabase();
    cleanups.push({ what: `database ${scratch.name}`, stop: scratch.drop });
    databaseUrl = scratch.url;
  }
  console.log('phase 2: the service…');
  if (o.cpuProf) console.log('(profiling the service: its figures are lower than an unprofiled run’s)');
  const service = await runServicePhase({ ...run, root: ROOT, workDir, databaseUrl, cpuProfileFile: o.cpuProf ? PROFILE_FILE : undefined, serviceEnv: o.serviceEnv });

  let idiomatic = null;
  if (db === 'postgres') {
    console.log('phase 3: one repository.save() per message…');
    const scratch = await createScratchDatabase();
    cleanups.push({ what: `database ${scratch.name}`, stop: scratch.drop });
    idiomatic = await runIdiomatic(run, scratch.url, Math.min(IDIOMATIC_MAX, Math.ceil(o.messages / 10)));
  }

  const result = makeResult({
    idiomatic,
    db,
    sirens: o.sirens,
    messages: o.messages,
    baseline: {
      msgPerS: rate(o.messages, baseline.firstReceivedAt, baseline.lastReceivedAt),
      seconds: (baseline.lastReceivedAt - baseline.firstReceivedAt) / 1000,
      cpu: baseline.cpu,
    },
    service: {
      msgPerS: rate(o.messages, service.firstPublishAt, service.appliedAt),
      seconds: (service.appliedAt - service.firstPublishAt) / 1000,
      committedMsgPerS: rate(o.messages, service.firstPublishAt, service.committedAt),
      cpu: service.cpu,
      rssBeforeBytes: service.rssBeforeBytes,
      rssBytes: service.rssBytes,
      peakRssBytes: service.peakRssBytes,
      commits: {
        count: service.commits.count,
        meanMessages: o.messages / Math.max(1, service.commits.count),
        meanMs: (service.commits.seconds * 1000) / Math.max(1, service.commits.count),
      },
    },
  });
  await cleanUp();
  console.log('\n' + formatResult(result));
  if (service.profile) console.log('\n' + formatSummary(service.profile, PROFILE_FILE));
  mkdirSync(dirname(RESULT_FILE), { recursive: true });
  writeFileSync(RESULT_FILE, JSON.stringify({ ...result, profile: service.profile }, null, 2) + '\n');
  console.log(`\nwritten to ${RESULT_FILE}`);
}

async function main(): Promise<void> {
  let options: BenchOptions | null;
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!options) return void process.stdout.write(USAGE);
  const o = options;
  const workDir = mkdtempSync(join(tmpdir(), 'sirenwatch-bench-'));
  const limit = setTimeout(() => void fail(`gave up after ${o.timeoutS} s (--timeout)`, workDir), o.timeoutS * 1000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void fail(`stopped by ${signal}`, workDir, 130));
  try {
    await bench(o, workDir);
  } catch (e) {
    await fail((e as Error).message, workDir);
  }
  if (failure) await failure; // the time limit or a signal struck as the run ended
  clearTimeout(limit);
  rmSync(workDir, { recursive: true, force: true });
}

void main();
