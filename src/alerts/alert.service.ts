import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import type { Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { QuarantineService } from '../ingest/quarantine.service.js';
import { MessageRouter } from '../ingest/message-router.js';
import { capTopic } from '../protocol/topics.js';
import { CapError, parseCap, type CapAlert } from './cap-parser.js';
import { AlertEntity, type AlertState } from './alert.entity.js';

export interface Intake {
  alert: AlertEntity;
  created: boolean;
}

/**
 * Emergency alerts (CAP): intake from HTTP and MQTT, identity (sender + identifier + sent), Update and
 * Cancel of what they reference, expiry. A refused document leaves only a quarantine record.
 */
@Injectable()
export class AlertService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('alerts');
  private timer: NodeJS.Timeout | null = null;
  /** The intake of each alert identity under way: copies arriving together wait for the first. */
  private readonly inFlight = new Map<string, Promise<Intake>>();
  /** An alert was stored or changed state (its id). */
  readonly changed$ = new Subject<string>();

  constructor(
    @InjectRepository(AlertEntity) private readonly repo: Repository<AlertEntity>,
    @Inject(MessageRouter) private readonly router: MessageRouter,
    @Inject(QuarantineService) private readonly quarantine: QuarantineService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.router.cap$.subscribe(({ payload }) => {
      this.intake(payload, 'mqtt', 'mqtt-feed').catch((e: Error) => this.log.warn(`CAP on ${capTopic(this.config.MQTT_TOPIC_ROOT)} refused: ${e.message}`));
    });
    this.timer = setInterval(() => void this.expire().catch((e: Error) => this.log.error(`expiry sweep: ${e.message}`)), 5_000);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async intake(body: Buffer | string, via: 'http' | 'mqtt', actor: string): Promise<Intake> {
    let cap: CapAlert;
    const raw = typeof body === 'string' ? Buffer.from(body) : body;
    try {
      cap = parseCap(raw);
    } catch (e) {
      if (!(e instanceof CapError)) throw e;
      this.quarantine.add('cap-invalid', capTopic(this.config.MQTT_TOPIC_ROOT), null, `${via}: ${e.message}`, raw, this.clock.now());
      throw new DomainError(e.tooLarge ? 'TOO_LARGE' : 'INVALID', `CAP: ${e.message}`);
    }
    // A flood of copies (several feeds relaying one alert, over HTTP and MQTT at once) is stored once:
    // copies are serialised per identity here, and the unique index settles a race between instances.
    const key = JSON.stringify([cap.sender, cap.identifier, cap.sent]);
    const before = this.inFlight.get(key);
    const mine: Promise<Intake> = before
      ? before.then((first) => ({ alert: first.alert, created: false }), () => this.store(cap, raw, via, actor))
      : this.store(cap, raw, via, actor);
    this.inFlight.set(key, mine);
    void mine.catch(() => undefined).finally(() => {
      if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
    });
    return mine;
  }

  private async store(cap: CapAlert, raw: Buffer, via: 'http' | 'mqtt', actor: string): Promise<Intake> {
    const identity = { sender: cap.sender, identifier: cap.identifier, sent: cap.sent };
    const existing = await this.repo.findOneBy(identity);
    if (existing) return { alert: existing, created: false };
    const now = this.clock.now();
    const expiries = cap.info.map((i) => (i.expires ? Date.parse(i.expires) : null)).filter((x): x is number => x !== null);
    const alert: AlertEntity = {
      id: this.ids.next(),
      identifier: cap.identifier,
      sender: cap.sender,
      sent: cap.sent,
      sentAt: Date.parse(cap.sent),
      status: cap.status,
      msgType: cap.msgType,
      scope: cap.scope,
      version: cap.version,
      infos: cap.info,
      refs: cap.references,
      expiresAt: expiries.length ? Math.max(...expiries) : null,
      state: cap.msgType === 'Cancel' ? 'cancelled' : expiries.length && Math.max(...expiries) <= now ? 'expired' : 'active',
      receivedAt: now,
      receivedVia: via,
      receivedBy: actor,
      activationId: null,
      xml: raw.toString('utf8'),
    };
    try {
      await this.repo.insert(alert);
    } catch (e) {
      const winner = await this.repo.findOneBy(identity);
      if (winner) return { alert: winner, created: false };
      throw e;
    }
    if (cap.msgType === 'Update' || cap.msgType === 'Cancel') await this.supersede(alert, cap.msgType === 'Update' ? 'updated' : 'cancelled');
    await this.audit.record(actor, 'alert.receive', alert.id, { identifier: cap.identifier, sender: cap.sender, msgType: cap.msgType, status: cap.status, via });
    this.notify(alert.id);
    return { alert, created: true };
  }

  async require(id: string): Promise<AlertEntity> {
    const a = await this.repo.findOneBy({ id });
    if (!a) throw notFound(`alert ${id}`);
    return a;
  }

  list(activeOnly: boolean): Promise<AlertEntity[]> {
    return this.repo.find({ where: activeOnly ? { state: 'active' } : {}, order: { receivedAt: 'DESC' }, take: 500 });
  }

  async setActivation(id: string, activationId: string): Promise<void> {
    await this.repo.update({ id }, { activationId });
    this.notify(id);
  }

  private async supersede(by: AlertEntity, state: AlertState): Promise<void> {
    for (const ref of by.refs) {
      const target = await this.repo.findOneBy({ sender: ref.sender, identifier: ref.identifier, sent: ref.sent });
      if (!target || target.state === 'cancelled') continue;
      await this.repo.update({ id: target.id }, { state });
      this.notify(target.id);
    }
  }

  private async expire(): Promise<void> {
    const now = this.clock.now();
    const active = await this.repo.find({ where: { state: 'active' }, select: { id: true, expiresAt: true } });
    for (const a of active) {
      if (a.expiresAt === null || a.expiresAt > now) continue;
      await this.repo.update({ id: a.id }, { state: 'expired' });
      this.notify(a.id);
    }
  }

  private notify(id: string): void {
    this.changed$.next(id);
  }
}
