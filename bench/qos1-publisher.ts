/**
 * A minimal MQTT 3.1.1 publisher on a raw socket: CONNECT, then pipelined QoS 1 PUBLISH packets encoded
 * by hand, counting PUBACKs. mqtt.js's publish path costs about what its receive path does, and on two
 * cores every cycle the publisher spends is taken from the subscriber being measured: with mqtt.js
 * publishing, the baseline measures the publisher (≈ 35 k/s here) instead of the subscriber.
 */
import { connect, type Socket } from 'node:net';

const CONNACK = 2;
const PUBACK = 4;

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    const digit = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? digit | 128 : digit);
  } while (n > 0);
  return out;
}

function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  // Protocol "MQTT" level 4, flags: clean session; keepalive 0 (off: a publisher is never idle for long).
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 0, id.length >> 8, id.length & 0xff]);
  const body = Buffer.concat([variable, id]);
  return Buffer.concat([Buffer.from([0x10, ...remainingLength(body.length)]), body]);
}

function publishPacket(topic: string, payload: string, packetId: number): Buffer {
  const topicBytes = Buffer.byteLength(topic);
  const payloadBytes = Buffer.byteLength(payload);
  const length = 2 + topicBytes + 2 + payloadBytes;
  const head = [0x32, ...remainingLength(length)]; // PUBLISH, QoS 1
  const packet = Buffer.allocUnsafe(head.length + length);
  let at = 0;
  for (const b of head) packet[at++] = b;
  at = packet.writeUInt16BE(topicBytes, at);
  at += packet.write(topic, at, 'utf8');
  at = packet.writeUInt16BE(packetId, at);
  packet.write(payload, at, 'utf8');
  return packet;
}

export class Qos1Publisher {
  private inbox: Buffer = Buffer.alloc(0);
  private nextId = 0;
  private onConnack: ((code: number) => void) | null = null;
  private onPuback: (() => void) | null = null;
  private failure: ((e: Error) => void) | null = null;
  private closing = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.read(chunk));
    socket.on('error', (e) => this.failure?.(e));
    socket.on('close', () => this.closing || this.failure?.(new Error('the broker closed the publisher connection')));
  }

  static async connect(url: string, clientId: string, timeoutMs: number): Promise<Qos1Publisher> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port || 1883), hostname);
    const publisher = new Qos1Publisher(socket);
    const timer = setTimeout(() => socket.destroy(new Error(`no CONNACK from ${url} within ${timeoutMs} ms`)), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        publisher.failure = reject;
        publisher.onConnack = (code) => (code === 0 ? resolve() : reject(new Error(`CONNACK refused (${code})`)));
        socket.write(connectPacket(clientId));
      });
    } finally {
      clearTimeout(timer);
    }
    return publisher;
  }

  /** Publishes every message, at most `window` unacknowledged at a time; resolves when all are acknowledged. */
  publishAll(messages: Iterator<{ topic: string; payload: string }>, window: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let inFlight = 0;
      let exhausted = false;
      this.failure = reject;
      const fill = () => {
        const packets: Buffer[] = [];
        while (!exhausted && inFlight < window) {
          const next = messages.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          this.nextId = (this.nextId % 0xffff) + 1; // 1…65535; far more ids than the window
          packets.push(publishPacket(next.value.topic, next.value.payload, this.nextId));
          inFlight++;
        }
        if (packets.length) this.socket.write(packets.length === 1 ? packets[0] : Buffer.concat(packets));
        if (exhausted && inFlight === 0) resolve();
      };
      this.onPuback = () => {
        inFlight--;
        fill();
      };
      fill();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await new Promise<void>((resolve) => this.socket.end(Buffer.from([0xe0, 0]), () => resolve())); // DISCONNECT
    this.socket.destroy();
  }

  /** Splits the stream into packets; only CONNACK and PUBACK are expected from the broker. */
  private read(chunk: Buffer): void {
    this.inbox = this.inbox.length ? Buffer.concat([this.inbox, chunk]) : chunk;
    let at = 0;
    for (;;) {
      let length = 0;
      let shift = 0;
      let i = at + 1;
      for (; i < this.inbox.length; i++, shift += 7) {
        length += (this.inbox[i] & 127) << shift;
        if (!(this.inbox[i] & 128)) break;
      }
      if (i >= this.inbox.length || i + 1 + length > this.inbox.length) break;
      const type = this.inbox[at] >> 4;
      if (type === CONNACK) this.onConnack?.(this.inbox[i + 2]);
      else if (type === PUBACK) this.onPuback?.();
      at = i + 1 + length;
    }
    this.inbox = this.inbox.subarray(at);
  }
}
