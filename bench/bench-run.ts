/** What the scale and latency benches share: a private broker, the service as a child, an admin session, a bound on the run. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMosquitto, type Broker } from './mosquitto.js';
import { answers } from './net.js';
import { createScratchDatabase, PG_PORT, type ScratchDatabase } from './scratch-database.js';
import { ServiceProcess, type ServiceSetup } from './service-process.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchRun {
  dir: string;
  broker: Broker;
  svc: ServiceProcess;
  db: 'postgres' | 'sqlite';
  /** How the service was started, for a second instance on the same broker, database and DATA_DIR. */
  setup: ServiceSetup;
  /** GET/POST as the admin, JSON answer; throws on a non-2xx. */
  api<T>(method: string, path: string, body?: string, contentType?: string): Promise<T>;
  token: string;
}

/**
 * Starts Mosquitto, a scratch database (PostgreSQL when 127.0.0.1:5432 answers, unless BENCH_DB=sqlite)
 * and the service; runs `work`; stops everything whatever happens. The whole run is bounded by `limitS`.
 */
export async function withService(name: string, limitS: number, serviceEnv: Record<string, string>, work: (run: BenchRun) => Promise<void>, cpuProf = false): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `sirenwatch-${name}-bench-`));
  const limit = setTimeout(() => {
    process.stderr.write(`bench:${name}: gave up after ${limitS} s; logs in ${dir}\n`);
    process.exit(1);
  }, limitS * 1000);
  let broker: Broker | null = null;
  let scratch: ScratchDatabase | null = null;
  let svc: ServiceProcess | null = null;
  let ok = false;
  const stopAll = async () => {
    await svc?.stop();
    await broker?.stop();
    await scratch?.drop();
    clearTimeout(limit);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  try {
    const db = process.env.BENCH_DB === 'sqlite' || !(await answers(PG_PORT)) ? 'sqlite' : 'postgres';
    broker = await startMosquitto(dir);
    scratch = db === 'postgres' ? await createScratchDatabase() : null;
    const setup: ServiceSetup = { root: ROOT, mqttUrl: broker.url, databaseUrl: scratch?.url, dataDir: join(dir, 'data'), logFile: join(dir, 'service.log'), clientId: `bench-${name}`, cpuProf, extraEnv: serviceEnv };
    svc = await ServiceProcess.start(setup);
    await svc.waitReady(60_000);
    const token = await svc.token();
    const s = svc;
    const api = async <T>(method: string, path: string, body?: string, contentType = 'application/json'): Promise<T> => {
      const res = await s.request(method, path, body, { authorization: `Bearer ${token}`, 'content-type': contentType });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
      return JSON.parse(res.text) as T;
    };
    await work({ dir, broker, svc, db, setup, api, token });
    ok = true;
  } finally {
    await stopAll();
    if (ok) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`bench:${name}: logs kept in ${dir}\n`);
  }
}

/** VmRSS and VmHWM of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): { current: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { current: kb('VmRSS'), peak: kb('VmHWM') };
}
