/**
 * Phase 1, the yardstick: a bare mqtt.js subscriber on the service's kind of session (fixed client id,
 * clean: false, QoS 1, mqtt.js acking each message as it is handled) that only counts, while the
 * publishers send the M messages. It runs as its own process (bare-subscriber.ts), as the service does.
 */
import { fork } from 'node:child_process';
import type { BareSubscriberDone, BareSubscriberJob, BareSubscriberProgress } from './bare-subscriber.js';
import { phaseCpu, startCpuWindow, type PhaseCpu } from './cpu-accounting.js';
import { startPublishing, type PhaseRun } from './publish.js';
import { TOPIC_ROOT } from './status-traffic.js';
import { waitForCount, waitUntil } from './wait.js';

const READY_MS = 15_000;

export interface BaselineFigures {
  firstReceivedAt: number;
  lastReceivedAt: number;
  /** Who took the machine's CPU, per message; `consumer` is the subscriber. */
  cpu: PhaseCpu;
}

export async function runBaseline(run: PhaseRun): Promise<BaselineFigures> {
  const child = fork(new URL('./bare-subscriber.js', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  run.onCleanup('phase 1 subscriber', async () => {
    if (exited) return;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  });
  let ready = false;
  let stopped = false;
  let received = 0;
  let done = null as BareSubscriberDone | null;
  child.on('message', (m: 'ready' | 'stopped' | BareSubscriberProgress | BareSubscriberDone) => {
    if (m === 'ready') ready = true;
    else if (m === 'stopped') stopped = true;
    else if ('received' in m) received = m.received;
    else done = m;
  });
  const alive = () => {
    if (exited) throw new Error('the phase 1 subscriber exited early (its error is above)');
  };
  child.send({ url: run.url, clientId: `bench-baseline-${run.tag}`, topic: `${TOPIC_ROOT}/sirens/+/status`, messages: run.messages } satisfies BareSubscriberJob);
  await waitUntil('the phase 1 subscriber to subscribe', () => (alive(), ready), READY_MS);

  const pids = { broker: run.brokerPid, consumer: child.pid! };
  const cpuWindow = startCpuWindow([pids.broker, pids.consumer], false);
  const publishing = startPublishing({ url: run.url, clientIdPrefix: `bench-pub1-${run.tag}`, sirens: run.sirens, messages: run.messages, bootPrefix: `b1-${run.tag}` });
  run.onCleanup('phase 1 publishers', publishing.stop);
  const count = () => (alive(), done ? run.messages : received);
  await Promise.all([publishing.done, waitForCount('baseline subscriber: messages received', count, run.messages, run.stallMs)]);
  const cpu = phaseCpu(cpuWindow(), pids, run.messages, false);
  child.send('stop');
  await waitUntil('the phase 1 subscriber to leave the broker', () => stopped || (alive(), false), READY_MS);
  const { firstReceivedAt, lastReceivedAt } = done!;
  return { firstReceivedAt, lastReceivedAt, cpu };
}
