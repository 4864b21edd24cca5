/**
 * Phase 1, the yardstick: a bare mqtt.js subscriber on the service's kind of session (fixed client id,
 * clean: false, QoS 1, mqtt.js acking each message as it is handled) that only counts, while the
 * publishers send the M messages.
 */
import mqtt from 'mqtt';
import { startCpuWindow } from './cpu-accounting.js';
import { startPublishing, type PhaseRun } from './publish.js';
import { TOPIC_ROOT } from './status-traffic.js';
import { waitForCount } from './wait.js';

export interface BaselineFigures {
  firstReceivedAt: number;
  lastReceivedAt: number;
  /** Share of the CPU that other work on the machine took meanwhile. */
  foreignCpuShare: number;
}

export async function runBaseline(run: PhaseRun): Promise<BaselineFigures> {
  const topic = `${TOPIC_ROOT}/sirens/+/status`;
  const client = await mqtt.connectAsync(run.url, { clientId: `bench-baseline-${run.tag}`, protocolVersion: 4, clean: false, reconnectPeriod: 0, connectTimeout: 10_000 });
  run.onCleanup('phase 1 subscriber', () => (client.disconnected ? Promise.resolve() : client.endAsync(true)));
  let received = 0;
  let firstReceivedAt = 0;
  let lastReceivedAt = 0;
  client.on('message', () => {
    lastReceivedAt = Date.now();
    if (received++ === 0) firstReceivedAt = lastReceivedAt;
  });
  // The session and its subscription exist before the first publish, so nothing is missed.
  await client.subscribeAsync(topic, { qos: 1 });
  const cpuWindow = startCpuWindow([run.brokerPid], false);
  const publishing = startPublishing({ url: run.url, clientIdPrefix: `bench-pub1-${run.tag}`, sirens: run.sirens, messages: run.messages, bootPrefix: `b1-${run.tag}` });
  run.onCleanup('phase 1 publishers', publishing.stop);
  await Promise.all([publishing.done, waitForCount('baseline subscriber: messages received', () => received, run.messages, run.stallMs)]);
  const { foreignShare } = cpuWindow();
  // Leave no persistent session behind, or the broker would queue phase 2's traffic for it too.
  await client.unsubscribeAsync(topic);
  await client.endAsync();
  return { firstReceivedAt, lastReceivedAt, foreignCpuShare: foreignShare };
}
