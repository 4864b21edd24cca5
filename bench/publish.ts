/** Runs one phase's publishing in its worker thread (see publisher.worker.ts). */
import { Worker } from 'node:worker_threads';
import type { PublishJob, PublishStarted } from './publisher.worker.js';

const PUBLISHER_CONNECTIONS = 4;
const PUBLISH_WINDOW = 500;

/** What both phases share: the broker, the traffic, and the run's bounds and cleanup. */
export interface PhaseRun {
  url: string;
  brokerPid: number;
  /** The service's database is PostgreSQL: its server processes' CPU counts as the bench's own. */
  withPostgres: boolean;
  /** Unique per run: client ids and boot ids carry it. */
  tag: string;
  sirens: number;
  messages: number;
  /** A count that stops moving for this long is a hang. */
  stallMs: number;
  /** Registers a stop for whatever the phase starts, run at the end of the bench whatever happens. */
  onCleanup(what: string, stop: () => Promise<void>): void;
}

export interface Publishing {
  /** When the first message went out (all connections up). */
  started: Promise<number>;
  /** Resolves once the broker has acknowledged every message. */
  done: Promise<void>;
  /** Stops the worker (on a failed run); harmless once it has finished. */
  stop(): Promise<void>;
}

export function startPublishing(job: Omit<PublishJob, 'connections' | 'window'>): Publishing {
  const worker = new Worker(new URL('./publisher.worker.js', import.meta.url), {
    workerData: { ...job, connections: PUBLISHER_CONNECTIONS, window: PUBLISH_WINDOW } satisfies PublishJob,
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`publisher worker exited (${code}) before it was done`)));
  });
  const started = new Promise<number>((resolve) => worker.once('message', (m: PublishStarted) => resolve(m.firstPublishAt)));
  const finished = new Promise<void>((resolve) => worker.on('message', (m) => m === 'done' && resolve()));
  failed.catch(() => undefined); // surfaces through `started` and `done`
  return { started: Promise.race([started, failed]), done: Promise.race([finished, failed]), stop: () => worker.terminate().then(() => undefined) };
}
