/** A private Mosquitto for one bench run: loopback only, in memory, no queue or in-flight limits. */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers, freePort } from './net.js';
import { waitUntil } from './wait.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Broker {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

// The limits are lifted so that the broker never drops or throttles: a slow subscriber's backlog
// (up to M messages) has to wait at the broker, as it would in a reconnect storm.
const conf = (port: number) => `listener ${port} 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
max_queued_bytes 0
max_inflight_messages 0
memory_limit 0
log_dest stderr
log_type error
log_type warning
`;

export async function startMosquitto(dir: string): Promise<Broker> {
  const port = await freePort();
  const confFile = join(dir, 'mosquitto.conf');
  const logFile = join(dir, 'mosquitto.log');
  writeFileSync(confFile, conf(port));
  const log = openSync(logFile, 'a');
  const child = spawn(MOSQUITTO, ['-c', confFile], { stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
      resolve();
    }),
  );
  child.once('error', (e) => (exited = `could not start: ${e.message}`));
  const tail = () => readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
  try {
    await waitUntil(`Mosquitto on 127.0.0.1:${port}`, async () => {
      if (exited) throw new Error(`${MOSQUITTO} ${exited}: ${tail()}`);
      return answers(port, 200);
    }, 10_000);
  } catch (e) {
    if (!exited) child.kill('SIGKILL');
    throw e;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(killer);
    },
  };
}
