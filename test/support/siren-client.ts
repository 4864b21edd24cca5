import mqtt, { type MqttClient } from 'mqtt';
import type { Status } from '../../src/protocol/payloads.js';
import { sirenTopic } from '../../src/protocol/topics.js';

export const healthyStatus = (): Omit<Status, 'sirenId' | 'bootId' | 'seq' | 'ts'> => ({
  mode: 'idle',
  mains: true,
  batteryV: 26.9,
  batteryPct: 93,
  charger: 'ok',
  doorOpen: false,
  temperatureC: 25,
  amplifiers: [true, true, true, true],
  speakerOk: true,
  rssiDbm: -71,
  commsPath: '4g',
});

/** A hand-driven siren for tests: its own connection and will, births and statuses with a running seq. */
export class SirenClient {
  private client: MqttClient | null = null;
  seq = 0;
  bdSeq = 0;

  constructor(
    readonly url: string,
    readonly root: string,
    readonly id: string,
    public bootId = `boot-${Math.random().toString(36).slice(2, 8)}`,
    readonly intervalS = 30,
  ) {}

  async connect(): Promise<void> {
    this.bdSeq++;
    const will = { topic: sirenTopic(this.root, this.id, 'availability'), payload: Buffer.from(JSON.stringify({ online: false, bdSeq: this.bdSeq })), qos: 1 as const, retain: true };
    this.client = await mqtt.connectAsync(this.url, { clientId: `siren-${this.id}-${Math.random().toString(36).slice(2, 6)}`, will, reconnectPeriod: 200 });
    await this.publish('availability', { online: true, bdSeq: this.bdSeq, bootId: this.bootId, intervalS: this.intervalS, model: 'HDS-1000', fw: '2.3.1', capabilities: ['tone'], ts: new Date().toISOString() }, true);
  }

  async status(patch: Partial<Status> = {}): Promise<number> {
    const seq = this.seq++;
    await this.publish('status', { sirenId: this.id, bootId: this.bootId, seq, ts: new Date().toISOString(), ...healthyStatus(), ...patch });
    return seq;
  }

  async publish(channel: 'availability' | 'status' | 'event' | 'ack', payload: unknown, retain = false): Promise<void> {
    await this.client!.publishAsync(sirenTopic(this.root, this.id, channel), typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1, retain });
  }

  /** Dies without a goodbye: the broker publishes the will. */
  kill(): void {
    this.client?.stream.destroy();
    this.client?.end(true);
    this.client = null;
  }

  async end(): Promise<void> {
    await this.client?.endAsync();
    this.client = null;
  }
}
