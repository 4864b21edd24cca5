import type { MqttClient } from 'mqtt';

/** What the watch needs of mqtt.js's client. */
export type PingableClient = Pick<MqttClient, 'connected' | 'sendPing' | 'reschedulePing'>;

/**
 * Keeps a healthy broker link up while ingest holds a PUBACK back (its back-pressure: the database is
 * behind or away). mqtt.js reads no further packet until the held message is answered, so the broker's
 * PINGRESP waits behind PUBLISHes and mqtt.js, after 1.5 × keepalive, would call the link dead
 * ("Keepalive timeout"), reconnect and report the broker down: during a database outage, a broker
 * alarm that is not true. While one message stays unanswered from one tick to the next, this sends the
 * PINGREQ itself (so the broker keeps the session) and restarts mqtt.js's countdown. Once the hold ends,
 * the waiting PINGRESPs are read and mqtt.js judges the link again.
 */
export class HeldAckKeepalive {
  private unanswered = 0;
  private answered = 0;
  /** `answered` at the last tick that found a message unanswered (null: none was). */
  private answeredAtLastTick: number | null = null;

  received(): void {
    this.unanswered++;
  }

  /** A message's PUBACK went to mqtt.js (possibly one of a connection since lost). */
  answer(): void {
    this.unanswered = Math.max(0, this.unanswered - 1);
    this.answered++;
  }

  /** The connection is gone: the broker sends the unanswered messages again on the next one. */
  reset(): void {
    this.unanswered = 0;
    this.answeredAtLastTick = null;
  }

  /** Call every keepalive ÷ 3; true when it found ingest holding and pinged. */
  tick(client: PingableClient): boolean {
    if (this.unanswered === 0) {
      this.answeredAtLastTick = null;
      return false;
    }
    const holding = this.answeredAtLastTick === this.answered;
    this.answeredAtLastTick = this.answered;
    if (!holding || !client.connected) return false;
    client.sendPing();
    client.reschedulePing(true);
    return true;
  }
}
