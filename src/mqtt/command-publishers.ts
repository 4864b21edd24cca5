import { Logger } from '@nestjs/common';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { fnv1a } from '../protocol/random.js';
import { logErrorsOncePerOutage } from './outage-log.js';

/**
 * Extra broker connections that only publish commands. Mosquitto reads one packet per connection per
 * turn of its event loop, so while thousands of sirens answer a drill, commands on the centre's one
 * connection went out at a few hundred a second (bench:drill); each connection here gets its own share.
 * A siren's commands always take the same connection, so they arrive in the order they were sent.
 */
export class CommandPublishers {
  private readonly log = new Logger('mqtt');
  private readonly clients: MqttClient[];

  constructor(
    url: string,
    count: number,
    base: IClientOptions,
    private readonly connectClient: (url: string, options: IClientOptions) => MqttClient = mqtt.connect,
  ) {
    this.clients = Array.from({ length: count }, (_, i) => this.connect(url, { ...base, clientId: `${base.clientId}-cmd${i + 1}` }));
  }

  /** The connection for this siren's commands, or null while it is down (the caller uses its own). */
  for(sirenId: string): MqttClient | null {
    if (!this.clients.length) return null;
    const client = this.clients[fnv1a(sirenId) % this.clients.length];
    return client.connected ? client : null;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.endAsync(!c.connected)));
  }

  private connect(url: string, options: IClientOptions): MqttClient {
    // No session to keep (it subscribes to nothing) and no will (the centre's connection has it).
    const client = this.connectClient(url, { ...options, clean: true, will: undefined, properties: undefined });
    logErrorsOncePerOutage(client, this.log, `command connection ${options.clientId}`);
    return client;
  }
}
