/**
 * Phase 1, the yardstick: a bare mqtt.js subscriber on the service's kind of session (fixed client id,
 * clean: false, QoS 1, mqtt.js acking each message as it is handled) that only counts. The M messages
 * are published while it is away and wait at the broker; the figure is how fast it drains them.
 */
import mqtt, { type IClientOptions } from 'mqtt';
import { startPublishing, type PhaseRun } from './publish.js';
import { TOPIC_ROOT } from './status-traffic.js';
import { waitForCount, within } from './wait.js';

const PUBLISH_LIMIT_MS = 120_000;

export interface BaselineFigures {
  firstReceivedAt: number;
  lastReceivedAt: number;
}

export async function runBaseline(run: PhaseRun): Promise<BaselineFigures> {
  const topic = `${TOPIC_ROOT}/sirens/+/status`;
  const options: IClientOptions = { clientId: `bench-baseline-${run.tag}`, protocolVersion: 4, clean: false, reconnectPeriod: 0, connectTimeout: 10_000 };
  // The session and its subscription exist first, so the broker keeps every message for it.
  const first = await mqtt.connectAsync(run.url, options);
  await first.subscribeAsync(topic, { qos: 1 });
  await first.endAsync();

  const publishing = startPublishing({ url: run.url, clientIdPrefix: `bench-pub1-${run.tag}`, sirens: run.sirens, messages: run.messages, bootPrefix: `b1-${run.tag}` });
  run.onCleanup('phase 1 publishers', publishing.stop);
  await within('publishing the baseline backlog', publishing.done, PUBLISH_LIMIT_MS);

  let received = 0;
  let firstReceivedAt = 0;
  let lastReceivedAt = 0;
  // The listener is there before CONNACK: the backlog starts flowing at once.
  const client = mqtt.connect(run.url, options);
  run.onCleanup('phase 1 subscriber', () => (client.disconnected ? Promise.resolve() : client.endAsync(true)));
  client.on('message', () => {
    lastReceivedAt = Date.now();
    if (received++ === 0) firstReceivedAt = lastReceivedAt;
  });
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
    client.once('close', () => reject(new Error('baseline subscriber: connection closed before CONNACK')));
  });
  await waitForCount('baseline subscriber: messages received', () => received, run.messages, run.stallMs);
  // Leave no persistent session behind, or the broker would queue phase 2's traffic for it too.
  await client.unsubscribeAsync(topic);
  await client.endAsync();
  return { firstReceivedAt, lastReceivedAt };
}
