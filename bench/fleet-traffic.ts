/**
 * Births and status messages for many siren ids over a few multiplexed QoS 1 connections (PROTOCOL.md
 * allows that on a broker without ACL, as the bench's is), for the scale and latency benches.
 */
import type { Birth, Status } from '../src/protocol/payloads.js';
import { sirenTopic } from '../src/protocol/topics.js';
import { Qos1Publisher } from './qos1-publisher.js';
import { healthyStatus, TOPIC_ROOT } from './status-traffic.js';

export { TOPIC_ROOT };
const WINDOW = 500;

export interface Message {
  topic: string;
  payload: string;
}

/** A birth with a long interval: the sirens stay online through the whole bench without heartbeats. */
export function birth(id: string, bootId: string, intervalS: number): Message {
  const b: Birth = { online: true, bdSeq: 1, bootId, intervalS, model: 'BENCH', fw: '1.0', capabilities: ['tone'], ts: new Date().toISOString() };
  return { topic: sirenTopic(TOPIC_ROOT, id, 'availability'), payload: JSON.stringify(b) };
}

/** A healthy siren's status (raises no fault) with `patch` over it. */
export function status(id: string, bootId: string, seq: number, patch: Partial<Status> = {}): Message {
  const s: Status = { ...healthyStatus(id, bootId, seq, new Date().toISOString()), ...patch };
  return { topic: sirenTopic(TOPIC_ROOT, id, 'status'), payload: JSON.stringify(s) };
}

/** A few publisher connections; each siren id always goes through the same one, so its seq stay in order. */
export class MultiplexedPublisher {
  private constructor(private readonly lanes: Qos1Publisher[]) {}

  static async connect(url: string, clientIdPrefix: string, lanes: number): Promise<MultiplexedPublisher> {
    return new MultiplexedPublisher(await Promise.all(Array.from({ length: lanes }, (_, i) => Qos1Publisher.connect(url, `${clientIdPrefix}-${i}`, 10_000))));
  }

  /** Publishes `messages` (lane = index mod lanes, so give each siren the same position in every round); resolves when all are acknowledged. */
  async publish(messages: Message[]): Promise<void> {
    await Promise.all(this.lanes.map((p, lane) => p.publishAll(messages.filter((_, i) => i % this.lanes.length === lane)[Symbol.iterator](), WINDOW)));
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((p) => p.close()));
  }
}
