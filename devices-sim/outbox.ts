/**
 * Everything a siren publishes within one boot: the `seq` counter shared by status, event and ack,
 * the `ts` of its own (possibly skewed) clock, and the faults that mangle its status messages.
 */
import type { Ack, SirenEvent, Status } from '../src/protocol/index.js';
import type { Clock } from './clock.js';
import type { Conditions } from './conditions.js';

type Header = 'sirenId' | 'bootId' | 'seq' | 'ts';
export type StatusBody = Omit<Status, Header>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = DistributiveOmit<SirenEvent, Header>;
export type AckBody = Omit<Ack, Header>;

export type OutChannel = 'status' | 'event' | 'ack';
/** What happened to a status on its way out, for the simulation's counters. */
export type StatusFate = 'lost' | 'corrupted' | 'held' | 'duplicated';

/**
 * Picks "that share" of messages evenly rather than by coin toss, so 6 % loss is 6 of every 100
 * and the service's loss window sees the share the ground truth assumed.
 */
export class ShareGate {
  private credit: number;

  constructor(random: () => number) {
    this.credit = random();
  }

  pass(pct: number): boolean {
    this.credit += pct / 100;
    if (this.credit < 1) return false;
    this.credit -= 1;
    return true;
  }
}

export class Outbox {
  private seq = 0;
  private held: string | null = null;
  private readonly gates: Record<'loss' | 'malformed' | 'reorder' | 'duplicate', ShareGate>;

  constructor(
    private readonly sirenId: string,
    readonly bootId: string,
    private readonly clock: Clock,
    private readonly conditions: () => Conditions,
    private readonly random: () => number,
    private readonly send: (channel: OutChannel, payload: string) => void,
    private readonly fate: (what: StatusFate) => void,
  ) {
    this.gates = { loss: new ShareGate(random), malformed: new ShareGate(random), reorder: new ShareGate(random), duplicate: new ShareGate(random) };
  }

  /** The siren's own time as ISO text: `offsetS` ahead under a clock-skew fault. */
  ts(): string {
    return new Date(this.clock.now() + this.conditions().clockOffsetS * 1000).toISOString();
  }

  private header() {
    return { sirenId: this.sirenId, bootId: this.bootId, seq: this.seq++, ts: this.ts() };
  }

  status(body: StatusBody): void {
    const c = this.conditions();
    const message = { ...this.header(), ...body };
    // A lost or corrupted status still used up its seq: the centre sees the gap.
    if (this.gates.loss.pass(c.lossPct)) return this.fate('lost');
    let payload = JSON.stringify(message);
    if (this.gates.malformed.pass(c.malformedPct)) {
      payload = this.corrupt(message);
      this.fate('corrupted');
    }
    if (this.held === null && this.gates.reorder.pass(c.reorderPct)) {
      this.held = payload;
      return this.fate('held');
    }
    this.send('status', payload);
    if (this.gates.duplicate.pass(c.duplicatePct)) {
      this.send('status', payload);
      this.fate('duplicated');
    }
    this.flushHeld();
  }

  event(body: EventBody): void {
    this.send('event', JSON.stringify({ ...this.header(), ...body }));
  }

  ack(body: AckBody): void {
    this.send('ack', JSON.stringify({ ...this.header(), ...body }));
  }

  /** Sends a held-back status now, after the newer one that overtook it. */
  flushHeld(): void {
    if (this.held === null) return;
    const payload = this.held;
    this.held = null;
    this.send('status', payload);
  }

  /** Bad JSON, an out-of-range value or a wrong type: each fails the protocol's validation. */
  private corrupt(message: Status): string {
    const text = JSON.stringify(message);
    switch (Math.floor(this.random() * 4)) {
      case 0: return text.slice(0, Math.floor(text.length / 2));
      case 1: return JSON.stringify({ ...message, batteryPct: 250 });
      case 2: return JSON.stringify({ ...message, temperatureC: 180 });
      default: return JSON.stringify({ ...message, mains: 'yes' });
    }
  }
}
