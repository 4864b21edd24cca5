import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { BehaviorSubject } from 'rxjs';
import { withTimeout } from '../common/with-timeout.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { readMqttTls } from '../config/mqtt-tls.js';
import { centreSubscriptions, serverAvailabilityTopic } from '../protocol/topics.js';
import { CommandPublishers } from './command-publishers.js';
import { HeldAckKeepalive } from './held-ack-keepalive.js';
import { logErrorsOncePerOutage } from './outage-log.js';

/** Called for every message; the broker gets its PUBACK only when `done` is called. */
export type MessageHandler = (topic: string, payload: Buffer, retained: boolean, done: () => void) => void;
/** Runs just before held PUBACKs leave the process (ingest flushes its journal here). */
export type BeforeAcks = () => void;

/**
 * The service's broker connection (mqtt.js), with a stable client id and a persistent session so
 * that QoS 1 messages wait at the broker while the service is away. Acks are under the handler's
 * control (mqtt.js sends the PUBACK when `handleMessage` calls back), which is how ingest applies
 * back-pressure and durability. Commands may leave on connections of their own (CommandPublishers).
 */
@Injectable()
export class MqttConnection implements BeforeApplicationShutdown {
  private readonly log = new Logger('mqtt');
  private client: MqttClient | null = null;
  private commandPublishers: CommandPublishers | null = null;
  readonly connected$ = new BehaviorSubject<boolean>(false);
  private extraSubscriptions: string[] = [];
  private holdingAcks = false;
  private readonly heldAckKeepalive = new HeldAckKeepalive();
  private heldAckTimer: NodeJS.Timeout | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Adds topics (e.g. the CAP feed) to subscribe to on every connect. Call before `start`. */
  subscribeAlso(topic: string): void {
    this.extraSubscriptions.push(topic);
  }

  start(url: string, onMessage: MessageHandler, beforeAcks: BeforeAcks = () => undefined): void {
    const root = this.config.MQTT_TOPIC_ROOT;
    const v5 = this.config.MQTT_PROTOCOL_VERSION === 5;
    const options: IClientOptions = {
      clientId: this.config.MQTT_CLIENT_ID,
      clean: false,
      protocolVersion: this.config.MQTT_PROTOCOL_VERSION,
      // MQTT 5 ends a session on disconnect unless told otherwise: keep it for a day.
      ...(v5 ? { properties: { sessionExpiryInterval: 86_400 } } : {}),
      username: this.config.MQTT_USERNAME,
      password: this.config.MQTT_PASSWORD,
      // A private CA and client certificate, where set; the command connections take them too.
      ...readMqttTls(this.config),
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      keepalive: this.config.MQTT_KEEPALIVE_S,
      // mqtt.js traces every packet through `debug`; even switched off that is a call per step per message.
      log: () => undefined,
      will: { topic: serverAvailabilityTopic(root), payload: Buffer.from(JSON.stringify({ online: false, instance: this.config.MQTT_CLIENT_ID, ts: new Date().toISOString() })), qos: 1, retain: true },
    };
    const client = mqtt.connect(url, options);
    // The embedded broker (aedes, in this process) hands over one message per I/O turn: holding its
    // acks to the end of the turn would only slow it (a 1 000-siren drill took 2.7 times as long).
    const hold = this.config.MQTT_URL !== undefined;
    client.handleMessage = (packet, callback) => {
      if (hold) this.holdAcks(client, beforeAcks);
      this.heldAckKeepalive.received();
      onMessage(packet.topic, packet.payload as Buffer, packet.retain, () => {
        if (hold) this.holdAcks(client, beforeAcks);
        else beforeAcks();
        this.heldAckKeepalive.answer();
        callback();
      });
    };
    this.heldAckTimer = setInterval(() => this.heldAckKeepalive.tick(client), (this.config.MQTT_KEEPALIVE_S * 1000) / 3);
    client.on('connect', () => {
      const share = this.config.MQTT_SHARE_GROUP;
      const topics = [...centreSubscriptions(root), ...this.extraSubscriptions].map((t) => (share ? `$share/${share}/${t}` : t));
      client.subscribe(topics, { qos: 1 }, (err) => {
        if (err) return this.log.error(`subscribe failed: ${err.message}`);
        this.log.log(`connected to ${redact(url)} as ${this.config.MQTT_CLIENT_ID}`);
        void this.publishAvailability(true);
        this.connected$.next(true);
      });
    });
    client.on('close', () => {
      this.heldAckKeepalive.reset();
      if (this.connected$.value) this.log.warn('broker connection lost; reconnecting');
      this.connected$.next(false);
    });
    logErrorsOncePerOutage(client, this.log, 'broker');
    this.client = client;
    // aedes runs in this process and reads every connection alike: extra connections would only cost.
    if (hold) this.commandPublishers = new CommandPublishers(url, this.config.MQTT_COMMAND_CONNECTIONS, options);
  }

  /**
   * mqtt.js writes each PUBACK on its own (one syscall per message). Corking the socket until the end
   * of this I/O turn sends a burst's acks in one write, and gives `beforeAcks` one point at which to
   * make the burst durable before any of its acks can leave.
   */
  private holdAcks(client: MqttClient, beforeAcks: BeforeAcks): void {
    if (this.holdingAcks) return;
    const stream = client.stream;
    stream.cork();
    this.holdingAcks = true;
    setImmediate(() => {
      this.holdingAcks = false;
      try {
        beforeAcks();
      } catch (e) {
        // Not durable, so not acknowledged: drop the connection; the broker redelivers after the reconnect.
        this.log.error(`acks withheld: ${(e as Error).message}`);
        stream.destroy(e as Error);
        return;
      }
      stream.uncork();
    });
  }

  /** A command: QoS 1, never retained (PROTOCOL.md), on the siren's command connection when that is up. */
  publishCommand(sirenId: string, topic: string, payload: string): Promise<void> {
    return publishQos1(this.commandPublishers?.for(sirenId) ?? this.client, topic, payload, false);
  }

  private publishAvailability(online: boolean): Promise<void> {
    const body = JSON.stringify({ online, instance: this.config.MQTT_CLIENT_ID, ts: new Date().toISOString() });
    return publishQos1(this.client, serverAvailabilityTopic(this.config.MQTT_TOPIC_ROOT), body, true).catch(() => undefined);
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // Say goodbye if the broker is there, but never let a dead broker hold up the shutdown.
    if (client.connected) await withTimeout(this.publishAvailability(false), 1_000, undefined);
    this.client = null;
    if (this.heldAckTimer) clearInterval(this.heldAckTimer);
    this.connected$.next(false);
    await Promise.all([client.endAsync(!client.connected), this.commandPublishers?.stop()]);
    this.commandPublishers = null;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}

function publishQos1(client: MqttClient | null, topic: string, payload: string, retain: boolean): Promise<void> {
  if (!client) return Promise.reject(new Error('MQTT connection not started'));
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: 1, retain }, (e) => (e ? reject(e) : resolve())));
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
