import type { z } from 'zod';
import { ackSchema, availabilitySchema, eventSchema, MAX_PAYLOAD_BYTES, statusSchema, commandSchema } from './payloads.js';
import type { Ack, Availability, Command, SirenEvent, Status } from './payloads.js';
import { isPlainStatus } from './status-check.js';
import type { SirenChannel } from './topics.js';

export type ParseFailureReason = 'oversize' | 'not-json' | 'invalid';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: ParseFailureReason; detail: string };

export type ChannelPayload =
  | { channel: 'availability'; payload: Availability }
  | { channel: 'status'; payload: Status }
  | { channel: 'event'; payload: SirenEvent }
  | { channel: 'ack'; payload: Ack };

const schemas = { availability: availabilitySchema, status: statusSchema, event: eventSchema, ack: ackSchema } as const;

/** "field.path: message; …" — the first few issues, naming where each one is. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** `plain`: a check that may pass a payload as parsed, exactly when the schema would return it unchanged. */
function parseJson<T>(schema: z.ZodType<T>, raw: Buffer | string, plain?: (v: unknown) => v is T): ParseResult<T> {
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (bytes > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'oversize', detail: `${bytes} bytes, limit ${MAX_PAYLOAD_BYTES}` };
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'not-json', detail: (e as Error).message };
  }
  // No database text column can hold U+0000: one such string would fail every batch it is in.
  if (text.includes('\\u0000') && holdsNul(json)) return { ok: false, reason: 'invalid', detail: 'a string holds the character U+0000' };
  if (plain?.(json)) return { ok: true, value: json };
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, reason: 'invalid', detail: describeIssues(result.error) };
  return { ok: true, value: result.data };
}

function holdsNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\0');
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\0') || holdsNul(x));
  return false;
}

/** Validates a payload received on one of a siren's channels. */
export function parseSirenPayload(channel: SirenChannel, raw: Buffer | string): ParseResult<ChannelPayload> {
  const r = parseJson<unknown>(schemas[channel] as z.ZodType<unknown>, raw, channel === 'status' ? isPlainStatus : undefined);
  if (!r.ok) return r;
  return { ok: true, value: { channel, payload: r.value } as ChannelPayload };
}

export function parseCommand(raw: Buffer | string): ParseResult<Command> {
  return parseJson(commandSchema, raw);
}
