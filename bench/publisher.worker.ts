/**
 * Publishes one phase's status messages at QoS 1 from a few pipelined connections. It runs in a worker
 * thread so that publishing never competes with the subscriber being measured for one event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Qos1Publisher } from './qos1-publisher.js';
import { laneMessages, statusPayload, statusTopic } from './status-traffic.js';

export interface PublishJob {
  url: string;
  clientIdPrefix: string;
  sirens: number;
  messages: number;
  /** Boot ids are `${bootPrefix}-${k}`: a fresh prefix makes every message new to the service. */
  bootPrefix: string;
  connections: number;
  /** Unacknowledged publishes allowed per connection. */
  window: number;
}

export interface PublishStarted {
  firstPublishAt: number;
}

/** The current time as ISO text, recomputed at most once per millisecond. */
let tsAt = 0;
let tsText = '';
function nowIso(): string {
  const now = Date.now();
  if (now !== tsAt) [tsAt, tsText] = [now, new Date(now).toISOString()];
  return tsText;
}

function* encoded(job: PublishJob, lane: number) {
  for (const { k, seq } of laneMessages(lane, job.connections, job.sirens, job.messages)) {
    yield { topic: statusTopic(k), payload: statusPayload(k, `${job.bootPrefix}-${k}`, seq, nowIso()) };
  }
}

async function run(job: PublishJob): Promise<void> {
  const publishers = await Promise.all(Array.from({ length: job.connections }, (_, lane) => Qos1Publisher.connect(job.url, `${job.clientIdPrefix}-${lane}`, 10_000)));
  parentPort!.postMessage({ firstPublishAt: Date.now() } satisfies PublishStarted);
  await Promise.all(publishers.map((p, lane) => p.publishAll(encoded(job, lane), job.window)));
  await Promise.all(publishers.map((p) => p.close()));
}

// A failure is left unhandled on purpose: it ends the worker and reaches the parent as its 'error' event.
void run(workerData as PublishJob).then(() => parentPort!.postMessage('done'));
