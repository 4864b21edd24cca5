import { seededRandom } from '../../src/protocol/random.js';
import type { SirenChannel } from '../../src/protocol/topics.js';
import { capXml } from './cap.js';
import { healthyStatus } from './siren-client.js';

/** The seed of a fuzz run: FUZZ_SEED to replay a failure, else a new one (printed by the tests). */
export const fuzzSeed = (): number => (process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31));

const WORDS = ['', 'a', 'ok', 'null', 'true', '0', '-1', '1e309', 'é', '警报', '\u0000', '\ud800', '<x>', '"', '\\', '%s', '${x}', '../../etc/passwd', "' or 1=1 --", 'x'.repeat(300)];
const NUMBERS = [0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e-320, 60.0000001, 100.5, -150.5, 4294967296];
/** Field names the API and the protocol use, so that random objects get past the first check now and then. */
export const FIELDS = [
  'sirenId', 'bootId', 'seq', 'ts', 'mode', 'mains', 'batteryPct', 'charger', 'doorOpen', 'temperatureC', 'amplifiers', 'speakerOk', 'online', 'bdSeq',
  'intervalS', 'type', 'commandId', 'pattern', 'result', 'onSeconds', 'soundDb', 'accepted', 'reason', 'name', 'scope', 'patterns', 'on', 'note',
  'minutes', 'username', 'password', 'role', 'disabled', 'secret', 'id', 'lat', 'lon', 'districtCode', 'districtName', 'all', 'sirenIds',
  'districtCodes', 'scheduledAt', 'ackTimeoutS', 'timeScale', 'cron', 'currentPassword', 'newPassword', 'language', 'text',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Random values, payloads and bodies from one seed, so that a failing run can be replayed. */
export class Fuzzer {
  private readonly rnd: () => number;
  private seq = 1;

  constructor(readonly seed: number) {
    this.rnd = seededRandom(seed);
  }

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }

  /** Any JSON value, nested up to `depth`. */
  value(depth = 3): unknown {
    switch (this.int(depth > 0 ? 8 : 5)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.chance(0.5) ? this.pick(NUMBERS) : (this.rnd() - 0.5) * 10 ** this.int(12);
      case 3:
      case 4:
        return this.pick(WORDS);
      case 5:
        return Array.from({ length: this.int(5) }, () => this.value(depth - 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(6) }, () => [this.pick(FIELDS), this.value(depth - 1)]));
    }
  }

  /** `obj` with one to three fields changed, removed, or given a value of another type. */
  mutate(obj: Record<string, unknown>): Record<string, unknown> {
    const out = { ...obj };
    for (let i = 1 + this.int(3); i > 0; i--) {
      const keys = Object.keys(out);
      const key = this.chance(0.8) && keys.length ? this.pick(keys) : this.pick(FIELDS);
      if (this.chance(0.25)) delete out[key];
      else out[key] = this.value(2);
    }
    return out;
  }

  /** JSON text whose first key is a prototype key (written by hand: an object literal would set the prototype). */
  withProtoKey(obj: Record<string, unknown>): string {
    const inner = JSON.stringify(this.chance(0.5) ? { polluted: 1 } : { prototype: { polluted: 1 } });
    const rest = JSON.stringify(obj).slice(1);
    return `{"${this.pick(PROTO_KEYS)}":${inner}${rest === '}' ? '' : ','}${rest}`;
  }

  deep(): string {
    const n = 100 + this.int(20_000);
    return this.chance(0.5) ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  }

  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }

  /** A payload as a siren of `sirenId` would send on `channel`, valid, for the current boot. */
  valid(channel: SirenChannel, sirenId: string, bootId: string): Record<string, unknown> {
    const head = { sirenId, bootId, seq: this.seq++, ts: new Date().toISOString() };
    if (channel === 'status') return { ...head, ...healthyStatus(), temperatureC: 20 + this.int(30) };
    if (channel === 'ack') return { ...head, commandId: `c-${this.int(1e6)}`, accepted: this.chance(0.5), reason: null };
    if (channel === 'event') return { ...head, type: this.pick(['door.opened', 'door.closed', 'activation.started']), commandId: 'c-1', pattern: 'test.short' };
    return { online: true, bdSeq: this.seq++, bootId, intervalS: 30, model: 'HDS-1000', fw: '2.3.1', capabilities: ['tone'], ts: head.ts };
  }

  /** One hostile or odd payload for the channel: the mix the fuzz tests send. */
  sirenPayload(channel: SirenChannel, sirenId: string, bootId: string): Buffer {
    const base = this.valid(channel, sirenId, bootId);
    switch (this.int(10)) {
      case 0:
      case 1:
        return Buffer.from(JSON.stringify(base));
      case 2:
      case 3:
        return Buffer.from(JSON.stringify(this.mutate(base)));
      case 4:
        return Buffer.from(JSON.stringify(Object.fromEntries(Object.keys(base).map((k) => [k, this.value(1)]))));
      case 5:
        return Buffer.from(JSON.stringify(this.value(4)) ?? 'null');
      case 6:
        return Buffer.from(this.withProtoKey(this.chance(0.5) ? base : this.mutate(base)));
      case 7:
        return Buffer.from(this.deep());
      case 8:
        // Not UTF-8 at all, or a valid payload with a broken byte inside.
        return this.chance(0.5) ? this.bytes(1 + this.int(512)) : Buffer.concat([Buffer.from(JSON.stringify(base).slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from('}')]);
      default:
        // Over the 16 KiB limit, or right at it.
        return Buffer.from(JSON.stringify({ ...base, padding: 'p'.repeat(16 * 1024 - 200 + this.int(2 * 1024)) }));
    }
  }

  /** A body for an HTTP route: random JSON, CSV or XML, under a matching or a wrong content type. */
  httpBody(): { contentType: string | undefined; body: string | Buffer } {
    const types = ['application/json', 'text/csv', 'application/xml', 'application/cap+xml', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/geo+json', undefined];
    const contentType = this.pick(types);
    switch (this.int(7)) {
      case 0:
      case 1:
        return { contentType, body: JSON.stringify(this.value(4)) ?? 'null' };
      case 2:
        return { contentType, body: this.withProtoKey(this.mutate({})) };
      case 3:
        return { contentType, body: this.csv() };
      case 4:
        return { contentType, body: this.xml(3) };
      case 5:
        return { contentType, body: this.chance(0.5) ? this.deep() : this.bytes(1 + this.int(256)) };
      default:
        return { contentType, body: JSON.stringify(this.mutate({})).slice(0, this.int(40)) };
    }
  }

  /** A CAP document for the feed topic: valid and new, broken, random XML, hostile or not UTF-8. */
  capPayload(): Buffer {
    const valid = capXml(`FUZZ-${this.seed}-${this.seq++}`);
    switch (this.int(8)) {
      case 0:
        return Buffer.from(valid);
      case 1: {
        // One element removed or its text replaced.
        const tags = ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope', 'urgency', 'severity', 'certainty', 'value'];
        const tag = this.pick(tags);
        const re = new RegExp(`<${tag}>[^<]*</${tag}>`);
        return Buffer.from(valid.replace(re, this.chance(0.5) ? '' : `<${tag}>${String(this.value(0))}</${tag}>`));
      }
      case 2:
        return Buffer.from(this.xml(4));
      case 3:
        return Buffer.from(`<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "${'a'.repeat(this.int(100))}"><!ENTITY b "&a;&a;&a;&a;">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&b;</alert>`);
      case 4:
        return this.bytes(1 + this.int(1024));
      case 5:
        return Buffer.from(valid.replace('</identifier>', `</identifier>${'<x>'.repeat(this.int(3000))}`));
      case 6:
        return Buffer.from(JSON.stringify(this.value(3)) ?? 'null');
      default:
        return Buffer.from(valid.replace('<headline>', '').replace('<areaDesc>东湖区', `<areaDesc>${this.pick(WORDS)}`).replace('UTF-8', this.pick(['UTF-8', 'ISO-8859-1', 'UTF-16', 'x-bogus'])));
    }
  }

  csv(): string {
    const header = this.chance(0.7) ? 'id,name,districtCode,districtName,lat,lon' : Array.from({ length: this.int(8) }, () => this.pick(FIELDS)).join(',');
    const lines = Array.from({ length: this.int(6) }, () => Array.from({ length: this.int(8) }, () => String(this.value(0)).replace(/\n/g, ' ')).join(this.pick([',', ';', '","', '\t'])));
    return [header, ...lines].join(this.pick(['\n', '\r\n', '\r']));
  }

  xml(depth: number): string {
    const tag = this.pick(['alert', 'identifier', 'sender', 'sent', 'info', 'area', 'polygon', 'circle', 'x', 'a:b', '!DOCTYPE', '?xml']);
    const inner = depth > 0 && this.chance(0.7) ? Array.from({ length: 1 + this.int(3) }, () => this.xml(depth - 1)).join('') : String(this.value(0));
    return this.chance(0.1) ? `<${tag}>${inner}` : `<${tag}>${inner}</${tag}>`;
  }
}
