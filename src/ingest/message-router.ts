import { Inject, Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { parseSirenPayload, type ChannelPayload } from '../protocol/parse.js';
import { capTopic, parseSirenTopic } from '../protocol/topics.js';
import { RegistryService } from '../sirens/registry.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import type { JournalRecord } from './journal.js';
import { QuarantineService, type QuarantineReason } from './quarantine.service.js';

type Result = 'applied' | 'duplicate' | 'late' | 'quarantined';
type Classified =
  | { kind: 'cap' }
  | { kind: 'refused'; reason: QuarantineReason; sirenId: string | null; detail: string; channel: string }
  | { kind: 'siren'; sirenId: string; channel: string; value: ChannelPayload };

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
    const { payload, receivedAt } = r;
    const m = this.classify(r);
    switch (m.kind) {
      case 'cap':
        return this.cap$.next({ payload, receivedAt });
      case 'refused':
        this.quarantine.add(m.reason, r.topic, m.sirenId, m.detail, payload, receivedAt);
        if (m.reason === 'unregistered') this.unregistered$.next({ sirenId: m.sirenId!, receivedAt });
        return this.count(m.channel, 'quarantined');
      case 'siren': {
        const outcome = this.state.apply(m.sirenId, m.value, receivedAt, r.retained);
        if (outcome.newlyLost) this.metrics.seqLost.inc(outcome.newlyLost);
        return this.count(m.channel, outcome.verdict);
      }
    }
  }

  /**
   * Replays a message whose effects (history, faults, quarantine, counters) the database already holds:
   * only the siren's live state moves, and nothing is published.
   */
  replayState(r: JournalRecord): void {
    const m = this.classify(r);
    if (m.kind === 'siren') this.state.apply(m.sirenId, m.value, r.receivedAt, r.retained, { quiet: true });
  }

  /** Topic → schema → identity: what a message is, or why it is refused. */
  private classify({ topic, payload }: JournalRecord): Classified {
    if (topic === this.capTopic) return { kind: 'cap' };
    const t = parseSirenTopic(this.config.MQTT_TOPIC_ROOT, topic);
    if (!t || !t.validId) {
      const detail = t ? 'siren id outside A–Z a–z 0–9 _ - or longer than 64' : 'not a siren topic';
      return { kind: 'refused', reason: 'bad-topic', sirenId: null, detail, channel: t?.channel ?? 'unknown' };
    }
    const refused = (reason: QuarantineReason, detail: string): Classified => ({ kind: 'refused', reason, sirenId: t.sirenId, detail, channel: t.channel });
    const parsed = parseSirenPayload(t.channel, payload);
    if (!parsed.ok) return refused(parsed.reason, parsed.detail);
    const claimed = 'sirenId' in parsed.value.payload ? parsed.value.payload.sirenId : undefined;
    if (claimed !== undefined && claimed !== t.sirenId) return refused('id-mismatch', `payload sirenId ${claimed} on the topic of ${t.sirenId}`);
    if (!this.registry.get(t.sirenId)) return refused('unregistered', `siren ${t.sirenId} is not in the registry`);
    return { kind: 'siren', sirenId: t.sirenId, channel: t.channel, value: parsed.value };
  }

  private count(channel: string, result: Result): void {
    const key = `${channel}/${result}`;
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = this.metrics.messages.labels(channel, result)));
    c.inc();
  }
}
