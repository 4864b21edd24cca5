/**
 * Publishes one phase's status messages at QoS 1 from a few pipelined connections. It runs in a worker
 * thread so that publishing never competes with the subscriber being measured for one event loop.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { parentPort, workerData } from 'node:worker_threads';
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

/** Messages the broker acknowledged (all of them, or the worker fails). */
export interface PublishResult {
  published: number;
}

/** The current time as ISO text, recomputed at most once per millisecond. */
let tsAt = 0;
let tsText = '';
function nowIso(): string {
  const now = Date.now();
  if (now !== tsAt) [tsAt, tsText] = [now, new Date(now).toISOString()];
  return tsText;
}

function publishLane(client: MqttClient, job: PublishJob, lane: number, onAck: () => void): Promise<void> {
  const items = laneMessages(lane, job.connections, job.sirens, job.messages);
  return new Promise((resolve, reject) => {
    let inFlight = 0;
    let exhausted = false;
    const fill = () => {
      while (!exhausted && inFlight < job.window) {
        const next = items.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const { k, seq } = next.value;
        inFlight++;
        client.publish(statusTopic(k), statusPayload(k, `${job.bootPrefix}-${k}`, seq, nowIso()), { qos: 1 }, (err) => {
          if (err) return reject(err);
          inFlight--;
          onAck();
          fill();
        });
      }
      if (exhausted && inFlight === 0) resolve();
    };
    fill();
  });
}

async function run(job: PublishJob): Promise<PublishResult> {
  const clients = await Promise.all(
    Array.from({ length: job.connections }, (_, lane) =>
      mqtt.connectAsync(job.url, { clientId: `${job.clientIdPrefix}-${lane}`, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 10_000 }),
    ),
  );
  // A dropped connection would lose its in-flight messages silently: fail the phase instead.
  const lost = new Promise<never>((_, reject) => clients.forEach((c) => c.once('close', () => reject(new Error(`publisher ${c.options.clientId} lost its connection`)))));
  let published = 0;
  const lanes = clients.map((c, lane) => publishLane(c, job, lane, () => published++));
  await Promise.race([Promise.all(lanes), lost]);
  clients.forEach((c) => c.removeAllListeners('close'));
  await Promise.all(clients.map((c) => c.endAsync()));
  return { published };
}

// A failure is left unhandled on purpose: it ends the worker and reaches the parent as its 'error' event.
void run(workerData as PublishJob).then((result) => parentPort!.postMessage(result));
