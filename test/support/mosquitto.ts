import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { signalAndWait } from './process.js';
import { freePort, tempDir } from './env.js';

/** A private Mosquitto on a free loopback port, for outage and restart tests. */
export class TestMosquitto {
  private proc: ChildProcess | null = null;
  readonly dir = tempDir('mosquitto-');
  port = 0;

  /** `verbose`: the broker logs every connection and packet (with client ids) to `log()`. */
  constructor(private readonly verbose = false) {}

  log(): string {
    return readFileSync(join(this.dir, 'mosquitto.log'), 'utf8');
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const conf = join(this.dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      [`listener ${this.port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${this.dir}/`, 'max_queued_messages 1000000', ...(this.verbose ? ['log_dest stderr', 'log_type all'] : ['log_dest none'])].join('\n') + '\n',
    );
    // Written by this process: the broker, started as root, drops to its own user before it opens files.
    const log = this.verbose ? openSync(join(this.dir, 'mosquitto.log'), 'a') : 'ignore';
    this.proc = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', log] });
    if (typeof log === 'number') closeSync(log);
    await waitForPort(this.port, 5_000);
  }

  /** A clean stop (SIGTERM): the broker saves its sessions and retained messages. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    await signalAndWait(p, 'SIGTERM');
  }
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        // destroy, not end: a half-closed socket nobody reads never sees the broker's end, and stays open.
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
}
