import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

export class BrokerPortTakenError extends Error {}

/**
 * The zero-setup broker (aedes, MQTT 3.1.1, in memory) used when MQTT_URL is unset. It takes clients
 * without credentials, so it listens on HOST only: for one machine or a lab, never for the field.
 */
@Injectable()
export class EmbeddedBroker implements OnApplicationShutdown {
  private readonly log = new Logger('embedded-broker');
  private broker: Aedes | null = null;
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get url(): string {
    const port = (this.server?.address() as { port: number } | null)?.port ?? this.config.MQTT_PORT;
    const host = this.config.HOST.includes(':') ? `[${this.config.HOST}]` : this.config.HOST;
    return `mqtt://${host}:${port}`;
  }

  async start(): Promise<void> {
    this.broker = await Aedes.createBroker({ id: 'sirenwatch-embedded' });
    try {
      this.server = await this.listen(this.config.MQTT_PORT);
    } catch (e) {
      // The zero-setup demo must come up on a machine that already runs a broker on 1883.
      if (!(e instanceof BrokerPortTakenError) || !this.config.demo || this.config.mqttPortExplicit) throw e;
      this.server = await this.listen(0);
      this.log.warn(`${e.message}; the demo's embedded broker listens on ${this.url} instead`);
    }
    this.log.log(`embedded MQTT broker listening on ${this.url}`);
  }

  private async listen(port: number): Promise<Server> {
    const server = createServer(this.broker!.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new BrokerPortTakenError(
                `MQTT port ${this.config.MQTT_PORT} on ${this.config.HOST} is taken: set MQTT_PORT to a free port, or MQTT_URL to use the broker that is running there`,
              )
            : e,
        ),
      );
      server.listen(port, this.config.HOST, () => resolve());
    });
    return server;
  }

  /** Last of all, after the service's own connection has said goodbye (beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    const broker = this.broker;
    this.server = null;
    this.broker = null;
    await new Promise<void>((resolve) => (broker ? broker.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
