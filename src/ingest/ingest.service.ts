import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { join } from 'node:path';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { WriteBehind } from '../database/write-behind.service.js';
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
    if (this.config.JOURNAL_FSYNC_MS > 0) this.syncTimer = setInterval(() => this.journal.sync(), this.config.JOURNAL_FSYNC_MS);
    this.mqtt.connected$.subscribe((up) => this.state.setConnected(up));
    this.mqtt.subscribeAlso(capTopic(this.config.MQTT_TOPIC_ROOT));
    let url = this.config.MQTT_URL;
    if (!url) {
      await this.broker.start();
      url = this.broker.url;
    }
    this.mqtt.start(url, (topic, payload, retained, done) => this.receive({ topic, payload, retained, receivedAt: this.clock.now() }, done));
  }

  /** Messages applied but not yet committed (what a crash now would replay). */
  get backlog(): number {
    return this.backlogCount;
  }

  private receive(r: JournalRecord, done: () => void): void {
    this.processedOffset = this.journal.append(r);
    this.uncommitted.push(r.receivedAt);
    this.metrics.ingestBacklog.set(++this.backlogCount);
    this.router.route(r);
    // Beyond the bound, stop acknowledging: the broker holds further messages until commits catch up.
    if (this.backlogCount >= this.config.INGEST_MAX_PENDING) void this.drained().then(done);
    else done();
  }

  private async drained(): Promise<void> {
    while (this.backlogCount >= this.config.INGEST_MAX_PENDING) await this.writeBehind.anyCommit();
  }

  /** Replays what the journal holds after the last committed checkpoint, then commits it. */
  private async recover(): Promise<void> {
    this.journal.open();
    const row = await this.checkpoints.findOneBy({ consumer: this.config.MQTT_CLIENT_ID });
    const from = row?.journalOffset ?? 0;
    this.committedOffset = this.processedOffset = from;
    const replayed = this.journal.replay(from, (r, end) => {
      this.router.route(r);
      this.processedOffset = end;
    });
    // A journal that is shorter than the checkpoint was lost or replaced: start from its end.
    if (this.journal.end < from) this.processedOffset = this.journal.end;
    this.writeBehind.setCheckpoint(() => this.checkpoint());
    await this.writeBehind.flush();
    if (replayed) this.log.log(`replayed ${replayed} journalled messages after checkpoint ${from}`);
  }

  private checkpoint() {
    if (this.processedOffset === this.committedOffset) return null;
    const offset = this.processedOffset;
    const received = this.uncommitted;
    this.uncommitted = [];
    const consumer = this.config.MQTT_CLIENT_ID;
    return {
      write: async (tx: import('typeorm').EntityManager) => {
        await tx.getRepository(CheckpointEntity).upsert({ consumer, journalOffset: offset, updatedAt: this.clock.now() }, ['consumer']);
      },
      committed: () => {
        this.committedOffset = offset;
        this.metrics.ingestBacklog.set((this.backlogCount -= received.length));
        const now = this.clock.now();
        for (const t of received) this.metrics.ingestLag.observe((now - t) / 1000);
        this.journal.release(offset);
      },
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    await this.mqtt.stop();
    this.journal.sync();
  }
}
