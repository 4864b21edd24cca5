/** One siren's MQTT session: its own connection, client id, credentials and retained will. */
import mqtt from 'mqtt';

export interface LinkOptions {
  clientId: string;
  username: string;
  password?: string;
  will: { topic: string; payload: string };
  subscriptions: string[];
}

export interface LinkHandlers {
  onMessage(topic: string, payload: Buffer): void;
  /** The connection ended without the siren asking for it. */
  onLost(reason: string): void;
}

export interface SirenLink {
  /** QoS 1; resolves on the broker's PUBACK. */
  publish(topic: string, payload: string, retain?: boolean): Promise<void>;
  /** Clean: DISCONNECT, so the broker drops the will. Not clean: the socket just dies and the will fires. */
  close(clean: boolean): Promise<void>;
}

export type Connector = (options: LinkOptions, handlers: LinkHandlers) => Promise<SirenLink>;

/** Connects with mqtt.js (MQTT 3.1.1); reconnecting is the siren's business, with a new will each time. */
export function mqttConnector(url: string, connectTimeoutMs = 5000): Connector {
  return (options, handlers) =>
    new Promise<SirenLink>((resolve, reject) => {
      let connected = false;
      let closing = false;
      const client = mqtt.connect(url, {
        protocolVersion: 4,
        clientId: options.clientId,
        username: options.username,
        password: options.password,
        clean: true,
        keepalive: 60,
        reconnectPeriod: 0,
        connectTimeout: connectTimeoutMs,
        will: { topic: options.will.topic, payload: Buffer.from(options.will.payload), qos: 1, retain: true },
      });
      const fail = (reason: string) => {
        if (!connected) {
          client.end(true);
          reject(new Error(reason));
        } else if (!closing) {
          closing = true;
          client.end(true);
          handlers.onLost(reason);
        }
      };
      client.on('error', (err) => fail(err.message));
      client.on('close', () => fail(connected ? 'connection closed' : `no answer from ${url} within ${connectTimeoutMs} ms`));
      client.on('message', (topic, payload) => handlers.onMessage(topic, payload));
      client.on('connect', () => {
        client.subscribe(options.subscriptions, { qos: 1 }, (err) => {
          if (err) return fail(`subscribe failed: ${err.message}`);
          connected = true;
          resolve({
            publish: async (topic, payload, retain = false) => {
              await client.publishAsync(topic, payload, { qos: 1, retain });
            },
            close: async (clean) => {
              closing = true;
              if (clean) await client.endAsync(false);
              else client.end(true);
            },
          });
        });
      });
    });
}
