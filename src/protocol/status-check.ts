import { z } from 'zod';
import { statusSchema, type Status } from './payloads.js';
import { SIREN_ID_PATTERN } from './topics.js';

const shape = statusSchema.shape;
const KEYS: ReadonlySet<string> = new Set(Object.keys(shape));
const MODES: ReadonlySet<unknown> = new Set(shape.mode.options);
const CHARGERS: ReadonlySet<unknown> = new Set(shape.charger.options);
const PATHS: ReadonlySet<unknown> = new Set(shape.commsPath.unwrap().options);
/** The pattern `z.iso.datetime({ offset: true })` checks (statusSchema's `ts`), from zod itself. */
const TS_PATTERN = z.regexes.datetime({ offset: true, local: false, precision: null });
/** zod keeps no public maximum for arrays: statusSchema's `amplifiers` has `.max(64)`. */
const MAX_AMPLIFIERS = 64;

/** A zod number's bounds, read once (zod works them out at each read; statusSchema has only inclusive ones). */
const bounds = (n: { minValue: number | null; maxValue: number | null }) => ({ min: n.minValue ?? -Infinity, max: n.maxValue ?? Infinity });
const SEQ = bounds(shape.seq);
const BATTERY_V = bounds(shape.batteryV.unwrap());
const BATTERY_PCT = bounds(shape.batteryPct);
const TEMPERATURE_C = bounds(shape.temperatureC);
const RSSI_DBM = bounds(shape.rssiDbm.unwrap());
const BOOT_ID = { min: shape.bootId.minLength ?? 0, max: shape.bootId.maxLength ?? Infinity };
const within = (v: unknown, b: { min: number; max: number }) => typeof v === 'number' && v >= b.min && v <= b.max;

/**
 * statusSchema's checks written out, for the payload that arrives thousands of times a second: true when
 * the parsed JSON is a status with exactly the schema's keys and values, so it can be used as it is. A
 * false is no verdict: the schema then judges the payload and says what is wrong. Running zod on every
 * status made a fifth of ingest's garbage (heap sampling of `npm run bench:ingest`). Keys, bounds and
 * enums are read from the schema; status-check.spec.ts holds the rest to its answers, bound by bound.
 */
export function isPlainStatus(v: unknown): v is Status {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  for (const key in o) if (!KEYS.has(key)) return false;
  return (
    (o.sirenId === undefined || (typeof o.sirenId === 'string' && SIREN_ID_PATTERN.test(o.sirenId))) &&
    typeof o.bootId === 'string' && within(o.bootId.length, BOOT_ID) &&
    Number.isSafeInteger(o.seq) && within(o.seq, SEQ) &&
    typeof o.ts === 'string' && TS_PATTERN.test(o.ts) &&
    MODES.has(o.mode) &&
    typeof o.mains === 'boolean' &&
    (o.batteryV === undefined || within(o.batteryV, BATTERY_V)) &&
    within(o.batteryPct, BATTERY_PCT) &&
    CHARGERS.has(o.charger) &&
    typeof o.doorOpen === 'boolean' &&
    within(o.temperatureC, TEMPERATURE_C) &&
    Array.isArray(o.amplifiers) && o.amplifiers.length <= MAX_AMPLIFIERS && o.amplifiers.every((a) => typeof a === 'boolean') &&
    typeof o.speakerOk === 'boolean' &&
    (o.rssiDbm === undefined || within(o.rssiDbm, RSSI_DBM)) &&
    (o.commsPath === undefined || PATHS.has(o.commsPath))
  );
}
