import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { join } from 'node:path';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { WriteBehind, type PendingWrite } from '../database/write-behind.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { EmbeddedBroker } from '../mqtt/embedded-broker.service.js';
import { MqttConnection } from '../mqtt/mqtt-connection.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import { capTopic } from '../protocol/topics.js';
import { Journal, type JournalRecord } from './journal.js';
import { MessageRouter } from './message-router.js';
import { CheckpointEntity } from './quarantine.entity.js';

/**
 * MQTT → journal → router → state, with the database behind in batches. A message is journalled
 * before its PUBACK and applied at once; its effects commit with the journal offset as checkpoint,
 * so a crash at any point replays exactly what had not committed.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('ingest');
  private readonly journal: Journal;
  private processedOffset = 0;
  private committedOffset = 0;
  /** The journal offset the stored siren state (siren_state) corresponds to: replay starts here. */
  private stateOffset = 0;
  private lastSnapshotAt = 0;
  /** The journal offset at which the snapshot round being written began (null: none is). */
  private roundOffset: number | null = null;
  /** The shutdown's last batch: the state is written whatever its age. */
  private stopping = false;
  /** Receive times of messages applied since the last collected checkpoint. */
  private uncommitted: number[] = [];
  /** Messages applied but not yet committed, in-flight batches included. */
  private backlogCount = 0;
  private syncTimer: NodeJS.Timeout | null = null;

  constructor(
    @InjectRepository(CheckpointEntity) private readonly checkpoints: Repository<CheckpointEntity>,
    @Inject(MessageRouter) private readonly router: MessageRouter,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @Inject(MqttConnection) private readonly mqtt: MqttConnection,
    @Inject(EmbeddedBroker) private readonly broker: EmbeddedBroker,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.journal = new Journal(join(config.DATA_DIR, 'journal', config.MQTT_CLIENT_ID.replace(/[^A-Za-z0-9_.-]/g, '_')));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.recover();
    this.metrics.ingestBacklog.sample(() => this.backlogCount);
    this.metrics.journalBytes.sample(() => this.journal.bytesOnDisk());
    if (this.config.JOURNAL_FSYNC_MS > 0) this.syncTimer = setInterval(() => this.journal.sync(), this.config.JOURNAL_FSYNC_MS);
    this.mqtt.connected$.subscribe((up) => this.state.setConnected(up));
    this.mqtt.subscribeAlso(capTopic(this.config.MQTT_TOPIC_ROOT));
    let url = this.config.MQTT_URL;
    if (!url) {
      await this.broker.start();
      url = this.broker.url;
    }
    this.mqtt.start(
      url,
      (topic, payload, retained, done) => this.receive({ topic, payload, retained, receivedAt: this.clock.now() }, done),
      () => this.journal.flush(),
    );
  }

  /** Messages applied but not yet committed (what a crash now would replay). */
  get backlog(): number {
    return this.backlogCount;
  }

  private receive(r: JournalRecord, done: () => void): void {
    this.processedOffset = this.journal.append(r);
    this.uncommitted.push(r.receivedAt);
    this.backlogCount++;
    this.router.route(r);
    // Beyond the bound, stop acknowledging: the broker holds further messages until commits catch up.
    if (this.backlogCount >= this.config.INGEST_MAX_PENDING) void this.drained().then(done);
    else done();
  }

  private async drained(): Promise<void> {
    while (this.backlogCount >= this.config.INGEST_MAX_PENDING) await this.writeBehind.anyCommit();
  }

  /**
   * Replays the journal after the stored state's offset: quietly up to the committed checkpoint (the
   * database holds those messages' effects, only the live state needs them), then in full. Commits it.
   */
  private async recover(): Promise<void> {
    this.journal.open();
    const id = this.config.MQTT_CLIENT_ID;
    const [row, stateRow] = await Promise.all([this.checkpoints.findOneBy({ consumer: id }), this.checkpoints.findOneBy({ consumer: stateConsumer(id) })]);
    const from = row?.journalOffset ?? 0;
    // Before state snapshots had an offset of their own, the state was written with every checkpoint.
    this.stateOffset = Math.min(stateRow?.journalOffset ?? from, from);
    this.committedOffset = this.processedOffset = from;
    let replayed = 0;
    this.journal.replay(this.stateOffset, (r, end) => {
      if (end <= from) return this.router.replayState(r);
      this.router.route(r);
      this.processedOffset = end;
      replayed++;
    });
    // A journal that is shorter than the checkpoint was lost or replaced: start from its end.
    if (this.journal.end < from) this.processedOffset = this.journal.end;
    this.writeBehind.setCheckpoint(() => this.checkpoint());
    await this.writeBehind.flush();
    if (replayed) this.log.log(`replayed ${replayed} journalled messages after checkpoint ${from}`);
  }

  /**
   * The batch's last write: the journal offset it covers and a slice of the siren state. Every
   * STATE_SNAPSHOT_S a snapshot round begins with the sirens changed since the last one; it is written
   * STATE_SNAPSHOT_SLICE sirens a batch, so that 100 000 changed sirens never stop the event loop (or hold
   * their JSON) at once, and once the last slice commits replay starts at the offset where the round
   * began. Writing a busy siren's state once per round instead of once per batch halves the rows per
   * message under load. At shutdown the whole state is written with the last offset.
   */
  private checkpoint() {
    const now = this.clock.now();
    let slice: PendingWrite | null;
    /** The offset the stored state corresponds to once this batch commits (null: unchanged). */
    let stateAt: number | null = null;
    if (this.stopping) {
      slice = this.state.snapshotAll();
      this.roundOffset = null;
      if (slice || this.stateOffset < this.processedOffset) stateAt = this.processedOffset;
    } else {
      const due = now - this.lastSnapshotAt >= this.config.STATE_SNAPSHOT_S * 1000;
      // Only with something to store: an empty round would hold back the next change's by a whole period.
      const worth = this.state.changedSinceRound || this.stateOffset < this.processedOffset;
      if (this.roundOffset === null && due && worth) {
        this.state.beginSnapshotRound();
        this.roundOffset = this.processedOffset;
        this.lastSnapshotAt = now;
      }
      slice = this.roundOffset === null ? null : this.state.snapshotSlice(this.config.STATE_SNAPSHOT_SLICE);
      if (this.roundOffset !== null && this.state.snapshotRoundLeft === 0) {
        if (slice || this.stateOffset < this.roundOffset) stateAt = this.roundOffset;
        this.roundOffset = null;
      }
    }
    if (this.processedOffset === this.committedOffset && !slice && stateAt === null) return null;
    // Never commit a checkpoint past what the journal file holds.
    this.journal.flush();
    const offset = this.processedOffset;
    const received = this.uncommitted;
    this.uncommitted = [];
    const id = this.config.MQTT_CLIENT_ID;
    return {
      write: async (tx: import('typeorm').EntityManager) => {
        const rows = [{ consumer: id, journalOffset: offset, updatedAt: now }];
        if (stateAt !== null) rows.push({ consumer: stateConsumer(id), journalOffset: stateAt, updatedAt: now });
        await slice?.(tx);
        await tx.getRepository(CheckpointEntity).upsert(rows, ['consumer']);
      },
      committed: () => {
        this.committedOffset = offset;
        this.backlogCount -= received.length;
        this.metrics.ingestBatch.observe(received.length);
        const at = this.clock.now();
        for (const t of received) this.metrics.ingestLag.observe((at - t) / 1000);
        if (stateAt === null) return;
        this.stateOffset = stateAt;
        this.journal.release(stateAt);
      },
    };
  }

  /**
   * Graceful stop: say offline and leave the broker (the persistent session keeps what comes next),
   * commit everything journalled with its checkpoint, then close the journal. A failed commit loses
   * nothing: the journal replays it at the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    await this.mqtt.stop();
    this.stopping = true;
    await this.writeBehind.flush().catch(() => undefined);
    this.journal.close();
    this.log.log(`stopped: journal committed up to ${this.committedOffset}, ${this.backlogCount} messages left to replay`);
  }
}

/** The checkpoint row of the stored siren state, beside the ingest consumer's own. */
const stateConsumer = (clientId: string) => `${clientId}#state`;
