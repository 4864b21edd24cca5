import { z } from 'zod';
import { SIREN_ID_PATTERN } from './topics.js';

/** Every JSON payload is UTF-8 and at most 16 KiB (PROTOCOL.md). */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

const isoTime = z.iso.datetime({ offset: true });
const sirenId = z.string().regex(SIREN_ID_PATTERN, 'must be 1–64 characters of A–Z a–z 0–9 _ -');
const bootId = z.string().min(1).max(64);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const birthSchema = z.object({
  online: z.literal(true),
  bdSeq: seq,
  bootId,
  intervalS: z.number().int().min(1).max(86_400).default(30),
  model: z.string().max(128).optional(),
  fw: z.string().max(128).optional(),
  capabilities: z.array(z.string().max(32)).max(32).default(['tone']),
  ts: isoTime.optional(),
});
export const willSchema = z.object({ online: z.literal(false), bdSeq: seq, ts: isoTime.optional() });
export const availabilitySchema = z.discriminatedUnion('online', [birthSchema, willSchema]);

const header = { sirenId: sirenId.optional(), bootId, seq, ts: isoTime };

export const SIREN_MODES = ['idle', 'sounding', 'testing', 'maintenance'] as const;
export const statusSchema = z.object({
  ...header,
  mode: z.enum(SIREN_MODES),
  mains: z.boolean(),
  batteryV: z.number().min(0).max(60).optional(),
  batteryPct: z.number().min(0).max(100),
  charger: z.enum(['ok', 'fault', 'off']),
  doorOpen: z.boolean(),
  temperatureC: z.number().min(-50).max(100),
  amplifiers: z.array(z.boolean()).max(64),
  speakerOk: z.boolean(),
  rssiDbm: z.number().min(-150).max(0).optional(),
  commsPath: z.enum(['4g', 'radio', 'fiber', 'satellite']).optional(),
});

const commandId = z.string().min(1).max(64);
const patternName = z.string().min(1).max(64);
export const ACTIVATION_RESULTS = ['completed', 'cancelled', 'failed'] as const;
export const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...header, type: z.literal('activation.started'), commandId, pattern: patternName }),
  z.object({
    ...header,
    type: z.literal('activation.finished'),
    commandId,
    pattern: patternName,
    result: z.enum(ACTIVATION_RESULTS),
    onSeconds: z.array(z.number().min(0).max(3600)).max(1000),
    soundDb: z.number().min(0).max(200).nullable(),
    failure: z.enum(['amplifier', 'speaker', 'power', 'no-sound', 'other']).optional(),
  }),
  z.object({
    ...header,
    type: z.literal('test.result'),
    commandId,
    ok: z.boolean(),
    amplifiers: z.array(z.boolean()).max(64),
    speakerImpedanceOhm: z.array(z.number()).max(64),
    batteryUnderLoadV: z.number().min(0).max(60).nullable().optional(),
    failures: z.array(z.string().max(200)).max(64),
  }),
  z.object({ ...header, type: z.literal('voice.started'), messageId: z.string().max(64), commandId: commandId.optional() }),
  z.object({
    ...header,
    type: z.literal('voice.finished'),
    messageId: z.string().max(64),
    commandId: commandId.optional(),
    result: z.enum(ACTIVATION_RESULTS),
    durationS: z.number().min(0).nullable().optional(),
    soundDb: z.number().min(0).max(200).nullable().optional(),
  }),
  z.object({ ...header, type: z.literal('door.opened') }),
  z.object({ ...header, type: z.literal('door.closed') }),
  z.object({ ...header, type: z.literal('tamper') }),
]);

export const ACK_REASONS = ['expired', 'busy', 'maintenance', 'unknown-pattern', 'invalid'] as const;
export const ackSchema = z.object({
  ...header,
  commandId,
  accepted: z.boolean(),
  reason: z.enum(ACK_REASONS).nullable().optional(),
});

export const COMMAND_TYPES = ['activate', 'cancel', 'silent-test', 'poll', 'voice'] as const;
export const commandSchema = z.object({
  commandId,
  type: z.enum(COMMAND_TYPES),
  pattern: patternName.nullable().optional(),
  exercise: z.boolean(),
  drillId: z.string().max(64).nullable().optional(),
  alertId: z.string().max(64).nullable().optional(),
  timeScale: z.number().gt(0).max(1).default(1),
  issuedAt: isoTime,
  expiresAt: isoTime,
  messageId: z.string().max(64).optional(),
  language: z.string().max(16).optional(),
  repeat: z.number().int().min(1).max(20).optional(),
  text: z.string().max(4000).optional(),
  audioUrl: z.string().max(2000).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  sig: z.string().optional(),
});

export type Birth = z.infer<typeof birthSchema>;
export type Will = z.infer<typeof willSchema>;
export type Availability = z.infer<typeof availabilitySchema>;
export type Status = z.infer<typeof statusSchema>;
export type SirenEvent = z.infer<typeof eventSchema>;
export type Ack = z.infer<typeof ackSchema>;
export type Command = z.infer<typeof commandSchema>;
export type SirenMode = (typeof SIREN_MODES)[number];
export type AckReason = (typeof ACK_REASONS)[number];
