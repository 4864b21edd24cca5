/**
 * Phase 1's subscriber, in a process of its own like the service's, so that the CPU it takes per
 * message can be read from /proc beside the service's (the CPU budget in report.ts). Started with
 * fork(); it speaks over the IPC channel only:
 *   parent → child: BareSubscriberJob, then 'stop'
 *   child → parent: 'ready' (subscribed), the count received every PROGRESS_MS (so the parent can tell
 *   a hang), BareSubscriberDone (all messages in), then 'stopped'
 */
import mqtt from 'mqtt';

export interface BareSubscriberJob {
  url: string;
  clientId: string;
  topic: string;
  messages: number;
}

const PROGRESS_MS = 250;

export interface BareSubscriberProgress {
  received: number;
}

export interface BareSubscriberDone {
  firstReceivedAt: number;
  lastReceivedAt: number;
}

async function run(job: BareSubscriberJob): Promise<void> {
  const client = await mqtt.connectAsync(job.url, { clientId: job.clientId, protocolVersion: 4, clean: false, reconnectPeriod: 0, connectTimeout: 10_000 });
  let received = 0;
  let firstReceivedAt = 0;
  let lastReceivedAt = 0;
  client.on('message', () => {
    lastReceivedAt = Date.now();
    if (received++ === 0) firstReceivedAt = lastReceivedAt;
    if (received === job.messages) process.send!({ firstReceivedAt, lastReceivedAt } satisfies BareSubscriberDone);
  });
  // The session and its subscription exist before the first publish, so nothing is missed.
  await client.subscribeAsync(job.topic, { qos: 1 });
  const progress = setInterval(() => process.send!({ received } satisfies BareSubscriberProgress), PROGRESS_MS);
  process.on('message', (m) => {
    if (m !== 'stop') return;
    clearInterval(progress);
    // Leave no persistent session behind, or the broker would queue phase 2's traffic for it too.
    void client
      .unsubscribeAsync(job.topic)
      .then(() => client.endAsync())
      .then(() => process.send!('stopped', undefined, undefined, () => process.exit(0)));
  });
  process.send!('ready');
}

process.once('message', (job: BareSubscriberJob) => {
  run(job).catch((e: Error) => {
    process.stderr.write(`bare subscriber: ${e.message}\n`);
    process.exit(1);
  });
});
