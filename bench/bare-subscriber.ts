/**
 * Phase 1, the yardstick: a bare mqtt.js subscriber on the service's kind of session (fixed client id,
 * clean: false, QoS 1, mqtt.js acking each message as it is handled) that only counts.
 */
import mqtt from 'mqtt';
import { startPublishing, type PublishResult } from './publish.js';
import { TOPIC_ROOT } from './status-traffic.js';
import { waitForCount } from './wait.js';

export interface PhaseFigures {
  publish: PublishResult;
  /** Receive (or apply) timestamps of the phase's messages at the subscriber. */
  firstAt: number;
  lastAt: number;
}

export interface PhaseRun {
  url: string;
  tag: string;
  sirens: number;
  messages: number;
  stallMs: number;
}

export async function runBaseline(run: PhaseRun, onCleanup: (stop: () => Promise<void>) => void): Promise<PhaseFigures> {
  const topic = `${TOPIC_ROOT}/sirens/+/status`;
  const client = await mqtt.connectAsync(run.url, { clientId: `bench-baseline-${run.tag}`, protocolVersion: 4, clean: false, reconnectPeriod: 0, connectTimeout: 10_000 });
  onCleanup(() => client.endAsync(true));
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  client.on('message', () => {
    lastAt = Date.now();
    if (received++ === 0) firstAt = lastAt;
  });
  // The session and its subscription exist before the first publish, so nothing is missed.
  await client.subscribeAsync(topic, { qos: 1 });
  const publishing = startPublishing({ url: run.url, clientIdPrefix: `bench-pub1-${run.tag}`, sirens: run.sirens, messages: run.messages, bootPrefix: `b1-${run.tag}` });
  onCleanup(publishing.stop);
  const publish = await publishing.done;
  await waitForCount('baseline subscriber', () => received, run.messages, run.stallMs);
  // Leave no persistent session behind, or the broker would queue phase 2's traffic for it too.
  await client.unsubscribeAsync(topic);
  await client.endAsync();
  return { publish, firstAt, lastAt };
}
