import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { In, type EntityManager, type Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service.js';
import { Clock } from '../common/clock.js';
import { invalid } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { bulkInsert, type BulkTable } from '../database/bulk.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { MqttConnection } from '../mqtt/mqtt-connection.service.js';
import type { Ack, Command, SirenEvent } from '../protocol/payloads.js';
import { signCommand } from '../protocol/signing.js';
import { sirenTopic } from '../protocol/topics.js';
import { RegistryService } from '../sirens/registry.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import { AudioTokens } from '../voice/audio-tokens.service.js';
import { CommandEntity } from './command.entity.js';
import { assertTimeScaleAllowed } from './time-scale.js';

export interface CommandRequest {
  sirenId: string;
  type: Command['type'];
  pattern?: string | null;
  exercise: boolean;
  drillId?: string | null;
  alertId?: string | null;
  timeScale?: number;
  /** expiresAt − issuedAt, 30–120 s (PROTOCOL.md). */
  lifetimeS?: number;
  /** What a `voice` command says: a text, or an audio file fetched with a one-time token. */
  voice?: VoiceContent;
}

export interface VoiceContent {
  messageId: string;
  language: string;
  repeat: number;
  text: string | null;
  audio: { id: string; sha256: string } | null;
}

export interface CommandReply<T> {
  command: CommandEntity;
  reply: T;
  receivedAt: number;
}

const RESULT_EVENTS = new Set(['activation.started', 'activation.finished', 'test.result', 'voice.started', 'voice.finished']);
const DEFAULT_LIFETIME_S = 60;
/** One statement per batch: TypeORM's upsert of a drill's 10 000 commands took the CPU that sending them needed. */
const COMMANDS_TABLE: BulkTable = {
  table: 'commands',
  columns: ['command_id', 'siren_id', 'type', 'pattern', 'drill_id', 'alert_id', 'exercise', 'issued_at', 'expires_at', 'sent_by', 'acked_at', 'accepted', 'reason', 'result_at', 'result'],
  pgTypes: ['text', 'text', 'text', 'text', 'text', 'text', 'bool', 'bigint', 'bigint', 'text', 'bigint', 'bool', 'text', 'bigint', 'text'],
  onConflict: 'on conflict (command_id) do update set acked_at = excluded.acked_at, accepted = excluded.accepted, reason = excluded.reason, result_at = excluded.result_at, result = excluded.result',
};
/** Commands published and not yet acknowledged by the broker, at most. */
const PUBLISH_WINDOW = 500;

/**
 * The command dispatcher: builds commands (id, lifetime, signature for sirens with a secret),
 * publishes them QoS 1 and never retained, spreads a large batch over a short window, audits every
 * one, and matches acks and results back by `commandId`. Nothing is retried here: an activation sent
 * twice could sound twice.
 */
@Injectable()
export class CommandService implements OnModuleInit {
  private readonly log = new Logger('commands');
  private readonly pending = new Map<string, CommandEntity>();
  /** `sirenId/messageId` → commandId: PROTOCOL.md's voice events name their message, the command only optionally. */
  private readonly voiceCommands = new Map<string, string>();
  private dirty = new Map<string, CommandEntity>();
  readonly acks$ = new Subject<CommandReply<Ack>>();
  readonly results$ = new Subject<CommandReply<SirenEvent>>();

  constructor(
    @InjectRepository(CommandEntity) private readonly repo: Repository<CommandEntity>,
    @Inject(MqttConnection) private readonly mqtt: MqttConnection,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(AudioTokens) private readonly audioTokens: AudioTokens,
  ) {}

  onModuleInit(): void {
    this.writeBehind.register('commands', () => this.collect());
    this.state.acks$.subscribe((a) => this.onAck(a.payload, a.receivedAt));
    this.state.events$.subscribe((e) => this.onEvent(e.payload, e.receivedAt, e.sirenId));
  }

  /** Commands of earlier runs still waiting for answers (a drill resumed after a restart). */
  async adopt(commandIds: string[]): Promise<CommandEntity[]> {
    const rows = commandIds.length ? await this.repo.findBy({ commandId: In(commandIds) }) : [];
    for (const c of rows) this.pending.set(c.commandId, c);
    return rows;
  }

  /**
   * Sends every request, spread evenly over `spreadMs`; resolves once all are published. Up to
   * PUBLISH_WINDOW wait for their broker acknowledgement at once: one round trip per command in turn
   * took a minute for 10 000 sirens.
   */
  async sendMany(requests: CommandRequest[], actor: string, spreadMs = 0, onSent?: (c: CommandEntity) => void): Promise<CommandEntity[]> {
    for (const r of requests) this.validate(r);
    const sent: CommandEntity[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    const gap = requests.length > 1 ? spreadMs / requests.length : 0;
    const started = this.clock.now();
    for (let i = 0; i < requests.length && failure === null; i++) {
      const due = started + i * gap;
      const wait = due - this.clock.now();
      if (wait > 5) await new Promise((r) => setTimeout(r, wait));
      const p = this.publish(requests[i], actor, onSent).then(
        (c) => void sent.push(c),
        (e: unknown) => void (failure ??= e),
      );
      inFlight.add(p);
      void p.then(() => inFlight.delete(p));
      if (inFlight.size >= PUBLISH_WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    // What went out is audited even when a later command could not be built.
    await this.audit.recordMany(sent.map((c, i) => ({ actor, action: `command.${c.type}`, target: c.sirenId, detail: { commandId: c.commandId, pattern: c.pattern, messageId: requests[i].voice?.messageId, drillId: c.drillId, alertId: c.alertId, exercise: c.exercise } })));
    if (failure !== null) throw failure;
    return sent;
  }

  private validate(r: CommandRequest): void {
    const scale = r.timeScale ?? 1;
    if (!(scale > 0 && scale <= 1)) throw invalid(`timeScale: must be > 0 and ≤ 1, got ${scale}`);
    assertTimeScaleAllowed(scale, this.config.SIMULATION);
    const life = r.lifetimeS ?? DEFAULT_LIFETIME_S;
    if (life < 30 || life > 120) throw invalid(`lifetimeS: must be 30–120 s, got ${life}`);
    if (!this.registry.get(r.sirenId)) throw invalid(`sirenId: ${r.sirenId} is not registered`);
    if ((r.type === 'voice') !== (r.voice !== undefined)) throw invalid('voice: a voice command needs its content, and only it');
  }

  private async publish(r: CommandRequest, actor: string, onSent?: (c: CommandEntity) => void): Promise<CommandEntity> {
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + (r.lifetimeS ?? DEFAULT_LIFETIME_S) * 1000;
    const commandId = this.ids.next();
    const command: Command = {
      commandId,
      type: r.type,
      pattern: r.pattern ?? null,
      exercise: r.exercise,
      drillId: r.drillId ?? null,
      alertId: r.alertId ?? null,
      timeScale: r.timeScale ?? 1,
      issuedAt: new Date(issuedAt).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
      ...(r.voice ? this.voiceFields(r.voice, r.sirenId, commandId, expiresAt) : {}),
    };
    const secret = await this.registry.secretOf(r.sirenId);
    const wire = secret ? signCommand(command, secret) : command;
    const row: CommandEntity = {
      commandId: command.commandId,
      sirenId: r.sirenId,
      type: r.type,
      pattern: r.pattern ?? null,
      drillId: r.drillId ?? null,
      alertId: r.alertId ?? null,
      exercise: r.exercise,
      issuedAt,
      expiresAt,
      sentBy: actor,
      ackedAt: null,
      accepted: null,
      reason: null,
      resultAt: null,
      result: null,
    };
    this.pending.set(row.commandId, row);
    if (r.voice) this.voiceCommands.set(`${r.sirenId}/${r.voice.messageId}`, commandId);
    this.dirty.set(row.commandId, row);
    // Known before it goes out: the ack can come back before the batch is through.
    onSent?.(row);
    try {
      await this.mqtt.publishCommand(r.sirenId, sirenTopic(this.config.MQTT_TOPIC_ROOT, r.sirenId, 'cmd'), JSON.stringify(wire));
      this.metrics.commandsSent.inc({ type: r.type, result: 'sent' });
      this.log.debug(`${r.type} sent to ${r.sirenId}`, { commandId: row.commandId, exercise: r.exercise });
    } catch (e) {
      this.metrics.commandsSent.inc({ type: r.type, result: 'failed' });
      this.log.error(`${r.type} to ${r.sirenId} not published: ${(e as Error).message}`, { commandId: row.commandId });
    }
    return row;
  }

  /** PROTOCOL.md's voice fields; an audio file goes by a URL that works once, for this siren and command. */
  private voiceFields(v: VoiceContent, sirenId: string, commandId: string, expiresAt: number): Partial<Command> {
    const content = v.audio
      ? { audioUrl: this.audioTokens.issue({ audioId: v.audio.id, sirenId, commandId, expiresAt }), sha256: v.audio.sha256 }
      : { text: v.text ?? '' };
    return { messageId: v.messageId, language: v.language, repeat: v.repeat, ...content };
  }

  private onAck(ack: Ack, receivedAt: number): void {
    const c = this.pending.get(ack.commandId);
    // The first ack stands: a later one (the siren refusing a replay of this command) changes nothing.
    if (!c || c.ackedAt !== null) return;
    Object.assign(c, { ackedAt: receivedAt, accepted: ack.accepted, reason: ack.reason ?? null });
    this.metrics.commandAcks.inc({ result: ack.accepted ? 'accepted' : 'rejected' });
    if (!ack.accepted) this.log.debug(`${c.type} rejected by ${c.sirenId}: ${ack.reason ?? 'no reason'}`, { commandId: c.commandId });
    this.dirty.set(c.commandId, c);
    this.acks$.next({ command: c, reply: ack, receivedAt });
  }

  private onEvent(e: SirenEvent, receivedAt: number, sirenId: string): void {
    if (!RESULT_EVENTS.has(e.type)) return;
    const commandId = ('commandId' in e && e.commandId) || ('messageId' in e ? this.voiceCommands.get(`${sirenId}/${e.messageId}`) : undefined);
    const c = commandId ? this.pending.get(commandId) : undefined;
    if (!c) return;
    if (e.type !== 'activation.started' && e.type !== 'voice.started') {
      Object.assign(c, { resultAt: receivedAt, result: e });
      this.dirty.set(c.commandId, c);
    }
    this.results$.next({ command: c, reply: e, receivedAt });
  }

  /** Forgets commands nobody waits for any more (answered, or long expired). */
  release(commandIds: Iterable<string>): void {
    const released = new Set(commandIds);
    for (const id of released) this.pending.delete(id);
    for (const [key, id] of this.voiceCommands) if (released.has(id)) this.voiceCommands.delete(key);
  }

  private collect() {
    if (!this.dirty.size) return null;
    const rows = [...this.dirty.values()].map((c) => [
      c.commandId, c.sirenId, c.type, c.pattern, c.drillId, c.alertId, c.exercise, c.issuedAt, c.expiresAt,
      c.sentBy, c.ackedAt, c.accepted, c.reason, c.resultAt, c.result === null ? null : JSON.stringify(c.result),
    ]);
    this.dirty = new Map();
    return (tx: EntityManager) => bulkInsert(tx, COMMANDS_TABLE, rows);
  }
}
