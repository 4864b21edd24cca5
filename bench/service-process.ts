/** The service as its own process (`node dist/src/main.js`, not --demo), driven over HTTP like an operator. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '../src/launch-flags.js';
import type { ProfileCommand, ProfileReply } from './cpu-profile.preload.js';
import { freePort } from './net.js';
import { waitUntil } from './wait.js';

export interface ServiceSetup {
  /** The project root (holds dist/). */
  root: string;
  mqttUrl: string;
  /** Unset: SQLite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  logFile: string;
  clientId: string;
  /** Load the profiling hook (cpu-profile.preload.ts). */
  cpuProf: boolean;
  /** Extra environment (tuning experiments); cannot override the bench's own settings. */
  extraEnv?: Record<string, string>;
}

/** The counter of a channel's applied siren messages (API.md's sirenwatch_messages_total). */
export const appliedSeries = (channel: string) => `sirenwatch_messages_total{channel="${channel}",result="applied"}`;

export class ServiceProcess {
  private exited: string | null = null;
  private readonly gone: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly baseUrl: string,
    private readonly logFile: string,
    private readonly password: string,
  ) {
    this.gone = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = `exited (${signal ?? code})`;
        resolve();
      }),
    );
  }

  static async start(s: ServiceSetup): Promise<ServiceProcess> {
    const port = await freePort();
    const password = randomBytes(12).toString('hex');
    // Only what the bench means: a developer's own MQTT_* or DATABASE_URL must not leak in.
    const env: NodeJS.ProcessEnv = {
      ...s.extraEnv,
      PATH: process.env.PATH,
      MQTT_URL: s.mqttUrl,
      DATA_DIR: s.dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_CLIENT_ID: s.clientId,
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
      ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}),
    };
    const log = openSync(s.logFile, 'a');
    const hook = s.cpuProf ? ['--import', new URL('./cpu-profile.preload.js', import.meta.url).href] : [];
    // Started as npm run serve starts it; then Node/V8 flags for experiments, which win (bench/README.md).
    const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeFlags, ...hook, join(s.root, 'dist/src/main.js')], {
      cwd: s.root,
      env,
      stdio: ['ignore', log, log, ...(s.cpuProf ? ['ipc' as const] : [])],
    });
    closeSync(log);
    return new ServiceProcess(child, `http://127.0.0.1:${port}`, s.logFile, password);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Throws (with the end of its log) once the service has died: no wait should outlive it. */
  assertRunning(): void {
    if (this.exited) throw new Error(`the service ${this.exited}; last log lines:\n${this.logTail()}`);
  }

  logTail(lines = 15): string {
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    this.assertRunning();
    const res = await fetch(this.baseUrl + path, { method, body, headers, signal: AbortSignal.timeout(60_000) });
    return { status: res.status, text: await res.text() };
  }

  /**
   * A GET whose answer is only received, counted and dropped: what a timed call measures is the service
   * and the transfer, not the client (fetch's text() of a 28 MB answer takes about 115 ms more here).
   */
  async receive(path: string, headers: Record<string, string>): Promise<number> {
    this.assertRunning();
    return new Promise((resolve, reject) => {
      const req = get(this.baseUrl + path, { headers, timeout: 60_000 }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`GET ${path} answered ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path} took over 60 s`)));
      req.on('error', reject);
    });
  }

  /** Its /api/health answer; `{}` while it does not listen (starting, or a standby handing over its port). */
  async health(): Promise<{ status?: string; mqtt?: string; role?: string }> {
    try {
      return JSON.parse((await this.request('GET', '/api/health')).text) as { status?: string; mqtt?: string; role?: string };
    } catch {
      this.assertRunning(); // otherwise it is not listening yet
      return {};
    }
  }

  /** Siren messages of the channel applied so far. */
  async applied(channel: string): Promise<number> {
    return (await this.metrics()).get(appliedSeries(channel)) ?? 0;
  }

  /** Waits until the service listens and its broker connection is up. */
  async waitReady(timeoutMs: number): Promise<void> {
    await waitUntil('the service to report mqtt up on /api/health', async () => (await this.health()).mqtt === 'up', timeoutMs, 200);
  }

  /** The admin's token (the password is the bench's own, generated per run). */
  async token(): Promise<string> {
    const login = await this.request('POST', '/api/auth/login', JSON.stringify({ username: 'admin', password: this.password }), { 'content-type': 'application/json' });
    if (login.status !== 200) throw new Error(`login failed (${login.status}): ${login.text}`);
    return (JSON.parse(login.text) as { token: string }).token;
  }

  /** Registers the fleet through the API, as an operator would. */
  async importRegistry(csv: string, expected: number): Promise<void> {
    const token = await this.token();
    const res = await this.request('POST', '/api/sirens/import', csv, { 'content-type': 'text/csv', authorization: `Bearer ${token}` });
    if (res.status !== 200) throw new Error(`import failed (${res.status}): ${res.text.slice(0, 500)}`);
    const result = JSON.parse(res.text) as { created: number; rejected: unknown[] };
    if (result.created !== expected || result.rejected.length) throw new Error(`import created ${result.created} of ${expected} sirens: ${res.text.slice(0, 500)}`);
  }

  /** The Prometheus text of /metrics (loopback needs no token) as series → value. */
  async metrics(): Promise<Map<string, number>> {
    const { status, text } = await this.request('GET', '/metrics');
    if (status !== 200) throw new Error(`/metrics answered ${status}`);
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
      if (m) out.set(m[1], Number(m[2]));
    }
    return out;
  }

  /** Peak resident set size (VmHWM) in bytes, from /proc. */
  peakRssBytes(): number | null {
    try {
      const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return kb ? Number(kb[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  /** Asks the profiling hook (cpuProf only) to start, or to stop and write the profile to `file`. */
  async profile(command: ProfileCommand, timeoutMs = 30_000): Promise<void> {
    const expect: ProfileReply['cpuProfile'] = command.cpuProfile === 'start' ? 'started' : 'written';
    const reply = new Promise<void>((resolve) => {
      const on = (m: ProfileReply) => {
        if (m.cpuProfile !== expect) return;
        this.child.off('message', on);
        resolve();
      };
      this.child.on('message', on);
    });
    this.child.send(command);
    let answered = false;
    void reply.then(() => (answered = true));
    await waitUntil(`the service's CPU profiler to report ${expect}`, () => (this.assertRunning(), answered), timeoutMs, 50);
  }

  /** kill -9: no shutdown hook runs (the failover bench). */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.gone;
  }

  /** SIGTERM (Nest's orderly shutdown, last batch committed), SIGKILL if that takes over 15 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.gone;
    clearTimeout(killer);
  }
}
