import mqtt, { type MqttClient } from 'mqtt';
import { sirenTopic } from '../../src/protocol/topics.js';
import { healthyStatus } from './siren-client.js';
import type { Status } from '../../src/protocol/payloads.js';

/** Many sirens' traffic through one connection (no per-siren will): for flood scenarios. */
export class FleetPublisher {
  private seq = new Map<string, number>();

  private constructor(
    private readonly client: MqttClient,
    private readonly root: string,
    private readonly boot = `fleet-${Math.random().toString(36).slice(2, 8)}`,
  ) {}

  static async connect(url: string, root: string): Promise<FleetPublisher> {
    return new FleetPublisher(await mqtt.connectAsync(url, { clientId: `fleet-${Math.random().toString(36).slice(2, 8)}` }), root);
  }

  async birth(ids: readonly string[], intervalS = 30): Promise<void> {
    await Promise.all(ids.map((id) => this.send(id, 'availability', { online: true, bdSeq: 1, bootId: this.boot, intervalS }, true)));
  }

  async status(ids: readonly string[], patch: Partial<Status> = {}): Promise<void> {
    await Promise.all(
      ids.map((id) => {
        const seq = this.seq.get(id) ?? 0;
        this.seq.set(id, seq + 1);
        return this.send(id, 'status', { sirenId: id, bootId: this.boot, seq, ts: new Date().toISOString(), ...healthyStatus(), ...patch });
      }),
    );
  }

  /** The sirens say goodbye themselves (PROTOCOL.md: the same payload as their will). */
  async offline(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.send(id, 'availability', { online: false, bdSeq: 1 }, true)));
  }

  private async send(id: string, channel: 'availability' | 'status', payload: object, retain = false): Promise<void> {
    await this.client.publishAsync(sirenTopic(this.root, id, channel), JSON.stringify(payload), { qos: 1, retain });
  }

  async end(): Promise<void> {
    await this.client.endAsync();
  }
}
