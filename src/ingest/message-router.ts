import { Inject, Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { parseSirenPayload } from '../protocol/parse.js';
import { capTopic, parseSirenTopic } from '../protocol/topics.js';
import { RegistryService } from '../sirens/registry.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import type { JournalRecord } from './journal.js';
import { QuarantineService } from './quarantine.service.js';

type Result = 'applied' | 'duplicate' | 'late' | 'quarantined';

/**
 * One message's way in: topic → schema → identity → ordering → state. Never throws: whatever is
 * wrong with a message sends it to quarantine with the reason, and ingestion goes on.
 */
@Injectable()
export class MessageRouter {
  private readonly counters = new Map<string, { inc(): void }>();
  /** CAP documents from the emergency-management feed topic (validated by the alerts module). */
  readonly cap$ = new Subject<{ payload: Buffer; receivedAt: number }>();
  /** Valid traffic from an id that is not in the registry. */
  readonly unregistered$ = new Subject<{ sirenId: string; receivedAt: number }>();
  private readonly capTopic: string;

  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(QuarantineService) private readonly quarantine: QuarantineService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.capTopic = capTopic(config.MQTT_TOPIC_ROOT);
  }

  route(r: JournalRecord): void {
    const { topic, payload, receivedAt } = r;
    if (topic === this.capTopic) return this.cap$.next({ payload, receivedAt });
    const t = parseSirenTopic(this.config.MQTT_TOPIC_ROOT, topic);
    if (!t || !t.validId) {
      this.quarantine.add('bad-topic', topic, null, t ? 'siren id outside A–Z a–z 0–9 _ - or longer than 64' : 'not a siren topic', payload, receivedAt);
      return this.count(t?.channel ?? 'unknown', 'quarantined');
    }
    const parsed = parseSirenPayload(t.channel, payload);
    if (!parsed.ok) {
      this.quarantine.add(parsed.reason, topic, t.sirenId, parsed.detail, payload, receivedAt);
      return this.count(t.channel, 'quarantined');
    }
    const claimed = 'sirenId' in parsed.value.payload ? parsed.value.payload.sirenId : undefined;
    if (claimed !== undefined && claimed !== t.sirenId) {
      this.quarantine.add('id-mismatch', topic, t.sirenId, `payload sirenId ${claimed} on the topic of ${t.sirenId}`, payload, receivedAt);
      return this.count(t.channel, 'quarantined');
    }
    if (!this.registry.get(t.sirenId)) {
      this.quarantine.add('unregistered', topic, t.sirenId, `siren ${t.sirenId} is not in the registry`, payload, receivedAt);
      this.unregistered$.next({ sirenId: t.sirenId, receivedAt });
      return this.count(t.channel, 'quarantined');
    }
    const outcome = this.state.apply(t.sirenId, parsed.value, receivedAt, r.retained);
    if (outcome.newlyLost) this.metrics.seqLost.inc(outcome.newlyLost);
    this.count(t.channel, outcome.verdict);
  }

  private count(channel: string, result: Result): void {
    const key = `${channel}/${result}`;
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = this.metrics.messages.labels(channel, result)));
    c.inc();
  }
}
