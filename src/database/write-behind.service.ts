import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** One module's pending writes, run inside the shared batch transaction. Must be idempotent. */
export type PendingWrite = (tx: EntityManager) => Promise<void>;
/** Hands over (and forgets) what a module has buffered since the last batch; null when nothing. */
export type WriteCollector = () => PendingWrite | null;
/** The checkpoint's write, and what to do once the batch holding it has committed. */
export interface CheckpointWrite {
  write: PendingWrite;
  committed: () => void;
}
interface Batch {
  writes: PendingWrite[];
  after: (() => void)[];
}

/**
 * Group commit for the ingest path: every module that buffers derived writes (state, history,
 * faults, quarantine) registers a collector; one transaction takes them all together with the
 * journal checkpoint, so what is committed is always the state after a known journal offset.
 */
@Injectable()
export class WriteBehind implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('write-behind');
  private readonly collectors: { name: string; collect: WriteCollector }[] = [];
  private checkpoint: (() => CheckpointWrite | null) | null = null;
  private retry: Batch | null = null;
  private running: Promise<void> | null = null;
  private commitListeners: (() => void)[] = [];
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(this.config.INGEST_BATCH_MS);
  }

  /**
   * The commit loop: a batch starts every INGEST_BATCH_MS, or right after the previous one when that took
   * longer (under load a pause after each commit would leave the database idle while the back-pressure
   * bound holds the broker back); backing off while the database fails.
   */
  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = performance.now();
      this.flush().then(
        () => this.schedule(Math.max(0, this.config.INGEST_BATCH_MS - (performance.now() - started))),
        () => this.schedule(Math.min(5_000, this.config.INGEST_BATCH_MS * 2 ** Math.min(this.failures, 8))),
      );
    }, ms);
  }

  register(name: string, collect: WriteCollector): void {
    this.collectors.push({ name, collect });
  }

  /** The checkpoint write that goes last in every batch (the ingest journal offset). */
  setCheckpoint(collect: () => CheckpointWrite | null): void {
    this.checkpoint = collect;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Commits everything buffered now; concurrent callers share the running commit and then one more. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.commitOnce().finally(() => (this.running = null));
    return this.running;
  }

  /** Resolves when any batch commits (the one in flight, if there is one). */
  anyCommit(): Promise<void> {
    return new Promise((resolve) => this.commitListeners.push(resolve));
  }

  private async commitOnce(): Promise<void> {
    const batch = this.retry ?? this.collect();
    this.retry = null;
    if (!batch.writes.length) return batch.after.forEach((w) => w());
    try {
      const timer = this.metrics.commitDuration.startTimer();
      await this.db.transaction(async (tx) => {
        for (const write of batch.writes) await write(tx);
      });
      timer();
      this.failures = 0;
      batch.after.forEach((w) => w());
      const listeners = this.commitListeners;
      this.commitListeners = [];
      listeners.forEach((l) => l());
    } catch (e) {
      this.failures++;
      this.metrics.commitFailures.inc();
      // Writes are idempotent: keep the batch and try it again first; the journal still holds its input.
      this.retry = batch;
      if (this.failures === 1 || this.failures % 20 === 0) this.log.error(`batch commit failed (${this.failures}×): ${(e as Error).message}`);
      throw e;
    }
  }

  private collect(): Batch {
    const writes = this.collectors.map((c) => c.collect()).filter((w): w is PendingWrite => w !== null);
    const cp = this.checkpoint?.() ?? null;
    if (!cp) return { writes, after: [] };
    return { writes: [...writes, cp.write], after: [cp.committed] };
  }

  /** Last commit before the database closes (shutdown hooks of the database run after this one). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    try {
      await this.flush();
    } catch {
      // Logged above; the journal replays what did not commit.
    }
  }
}
