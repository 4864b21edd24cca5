import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { signalAndWait } from './process.js';
import { ADMIN_PASSWORD, ApiClient } from './service.js';
import { eventually, freePort } from './env.js';

const MAIN = 'dist/src/main.js';

/** The built service as its own process, so a test can kill -9 it. */
export class ChildService extends ApiClient {
  private proc: ChildProcess | null = null;
  output = '';

  private constructor(
    baseUrl: string,
    private readonly env: Record<string, string>,
  ) {
    super(baseUrl);
  }

  static async create(env: Record<string, string>): Promise<ChildService> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm test builds it first (or run npm run build)`);
    const port = await freePort();
    return new ChildService(`http://127.0.0.1:${port}`, { ADMIN_PASSWORD, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) });
  }

  async start(timeoutMs = 20_000): Promise<void> {
    const proc = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d) => (this.output += d));
    proc.stderr!.on('data', (d) => (this.output += d));
    this.proc = proc;
    await eventually(
      async () => {
        if (proc.exitCode !== null) throw new Error(`service exited ${proc.exitCode}: ${this.output.slice(-2000)}`);
        return (await fetch(`${this.baseUrl}/api/health`).catch(() => null))?.status === 200;
      },
      timeoutMs,
      'service health',
    );
  }

  /** kill -9: no shutdown hook runs. */
  async kill9(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    await signalAndWait(p, 'SIGKILL');
  }

  /** A graceful stop (SIGTERM); resolves with the exit code (null when it died of a signal). */
  async stop(): Promise<number | null> {
    const p = this.proc;
    this.proc = null;
    return signalAndWait(p, 'SIGTERM');
  }
}
