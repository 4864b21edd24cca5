/** What a bench run measures, from flags (`npm run bench -- --quick`) with BENCH_* environment fallbacks. */
import { parseArgs } from 'node:util';

export type DbChoice = 'sqlite' | 'postgres' | 'auto';

export interface BenchOptions {
  sirens: number;
  messages: number;
  db: DbChoice;
  /** Write a CPU profile of the service while it ingests, and summarise it. */
  cpuProf: boolean;
  /** The whole run, cleanup included, ends by this many seconds whatever hangs. */
  timeoutS: number;
  /** Extra environment for the service (tuning experiments, e.g. INGEST_BATCH_MS=200). */
  serviceEnv: Record<string, string>;
}

export const USAGE = `Usage: npm run bench -- [options]   (or npm run bench:ingest -- [options])

Ingest throughput of the service against a bare mqtt.js subscriber, both on a private Mosquitto.
Without any option, npm run bench runs every bench (ingest, latency, scale, drill, failover) and ends
with every figure next to its target.

Options:
  --sirens N      registered sirens, messages spread over them ($BENCH_SIRENS, default 10000)
  --messages M    status messages per phase ($BENCH_MESSAGES, default 200000)
  --quick         CI smoke: 2000 sirens, 40000 messages
  --db KIND       sqlite | postgres | auto ($BENCH_DB, default auto: PostgreSQL when 127.0.0.1:5432 answers)
  --cpu-prof      profile the service while it ingests and print its costliest functions
  --timeout S     give up (and exit 1) after S seconds ($BENCH_TIMEOUT_S, default 570)
  --service-env K=V  extra environment for the service, repeatable (e.g. INGEST_BATCH_MS=200)
  -h, --help      show this help
`;

export class UsageError extends Error {}

function whole(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name}: expected a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** null when help was asked for. */
export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        sirens: { type: 'string' },
        messages: { type: 'string' },
        quick: { type: 'boolean', default: false },
        db: { type: 'string' },
        'cpu-prof': { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'service-env': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.help) return null;
  const quick = parsed.quick;
  // Explicit flags win, then --quick, then the environment.
  const fromEnv = (name: string) => (quick ? undefined : env[name]);
  const db = parsed.db ?? env.BENCH_DB ?? 'auto';
  if (db !== 'sqlite' && db !== 'postgres' && db !== 'auto') throw new UsageError(`--db: expected sqlite, postgres or auto, got ${JSON.stringify(db)}`);
  return {
    sirens: whole('sirens', parsed.sirens ?? fromEnv('BENCH_SIRENS'), quick ? 2_000 : 10_000, 1),
    messages: whole('messages', parsed.messages ?? fromEnv('BENCH_MESSAGES'), quick ? 40_000 : 200_000, 1),
    db,
    cpuProf: parsed['cpu-prof'],
    timeoutS: whole('timeout', parsed.timeout ?? env.BENCH_TIMEOUT_S, 570, 10),
    serviceEnv: Object.fromEntries((parsed['service-env'] ?? []).map(keyValue)),
  };
}

function keyValue(text: string): [string, string] {
  const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
  if (!m) throw new UsageError(`--service-env: expected NAME=value, got ${JSON.stringify(text)}`);
  return [m[1], m[2]];
}
