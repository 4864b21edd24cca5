import { z } from 'zod';
import { CHARGER_STATES, COMMS_PATHS, SIREN_MODES, type Status } from './payloads.js';
import { SIREN_ID_PATTERN } from './topics.js';

/** The pattern `z.iso.datetime({ offset: true })` checks (statusSchema's `ts`), from zod itself. */
const TS_PATTERN = z.regexes.datetime({ offset: true, local: false, precision: null });
const KEYS = new Set(['sirenId', 'bootId', 'seq', 'ts', 'mode', 'mains', 'batteryV', 'batteryPct', 'charger', 'doorOpen', 'temperatureC', 'amplifiers', 'speakerOk', 'rssiDbm', 'commsPath']);
const MODES: ReadonlySet<unknown> = new Set(SIREN_MODES);
const CHARGERS: ReadonlySet<unknown> = new Set(CHARGER_STATES);
const PATHS: ReadonlySet<unknown> = new Set(COMMS_PATHS);

const within = (v: unknown, min: number, max: number) => typeof v === 'number' && v >= min && v <= max;
const optionalWithin = (v: unknown, min: number, max: number) => v === undefined || within(v, min, max);

/**
 * statusSchema's checks written out, for the payload that arrives thousands of times a second: true when
 * the parsed JSON is a status with exactly the schema's keys and values, so it can be used as it is. A
 * false is no verdict: the schema then judges the payload and says what is wrong. Running zod on every
 * status made a fifth of ingest's garbage (heap sampling of `npm run bench:ingest`); status-check.spec.ts
 * holds this to the schema's answers, bound by bound.
 */
export function isPlainStatus(v: unknown): v is Status {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  for (const key in o) if (!KEYS.has(key)) return false;
  return (
    (o.sirenId === undefined || (typeof o.sirenId === 'string' && SIREN_ID_PATTERN.test(o.sirenId))) &&
    typeof o.bootId === 'string' && o.bootId.length >= 1 && o.bootId.length <= 64 &&
    Number.isSafeInteger(o.seq) && (o.seq as number) >= 0 &&
    typeof o.ts === 'string' && TS_PATTERN.test(o.ts) &&
    MODES.has(o.mode) &&
    typeof o.mains === 'boolean' &&
    optionalWithin(o.batteryV, 0, 60) &&
    within(o.batteryPct, 0, 100) &&
    CHARGERS.has(o.charger) &&
    typeof o.doorOpen === 'boolean' &&
    within(o.temperatureC, -50, 100) &&
    Array.isArray(o.amplifiers) && o.amplifiers.length <= 64 && o.amplifiers.every((a) => typeof a === 'boolean') &&
    typeof o.speakerOk === 'boolean' &&
    optionalWithin(o.rssiDbm, -150, 0) &&
    (o.commsPath === undefined || PATHS.has(o.commsPath))
  );
}
