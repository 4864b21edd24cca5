/**
 * The fault profile of SIMULATOR.md: which faults to inject, into which sirens, when.
 * Validated with zod; every error names the field (`faults[2].kind: unknown kind "nosound"`).
 */
import { z } from 'zod';
import { ACK_REASONS } from '../src/protocol/index.js';

export const FAULT_KINDS = [
  'offline', 'flapping', 'mains-failure', 'battery-low', 'charger-fault', 'amplifier', 'speaker',
  'door-open', 'tamper', 'overtemp', 'clock-skew', 'lossy', 'duplicates', 'reorder', 'malformed',
  'no-ack', 'slow-ack', 'reject', 'no-report', 'no-sound', 'weak-sound', 'pattern-drift', 'reboot',
  'voice-fail', 'voice-mute',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const selection = {
  sirens: z.array(z.string().min(1)).min(1).optional(),
  district: z.string().min(1).optional(),
  count: z.number().int().min(1).optional(),
  fraction: z.number().gt(0).max(1).optional(),
};
const at = z.number().min(0).optional();
const lasting = z.number().gt(0).optional();
const pct = z.number().min(0).max(100);
const timed = { ...selection, at, for: lasting };
// One-off faults (a tamper event, a reboot) have a start but no duration.
const once = { ...selection, at };

const faultSchemas = [
  z.strictObject({ kind: z.literal('offline'), ...timed }),
  z.strictObject({ kind: z.literal('flapping'), ...timed, periodS: z.number().min(1).max(86_400) }),
  z.strictObject({ kind: z.literal('mains-failure'), ...timed }),
  z.strictObject({ kind: z.literal('battery-low'), ...timed }),
  z.strictObject({ kind: z.literal('charger-fault'), ...timed }),
  // For this kind `count` is the number of failed amplifiers of 4 (SIMULATOR.md), not a selection.
  z.strictObject({ kind: z.literal('amplifier'), ...timed, count: z.number().int().min(1).max(4).default(1) }),
  z.strictObject({ kind: z.literal('speaker'), ...timed }),
  z.strictObject({ kind: z.literal('door-open'), ...timed }),
  z.strictObject({ kind: z.literal('tamper'), ...once }),
  z.strictObject({ kind: z.literal('overtemp'), ...timed }),
  z.strictObject({ kind: z.literal('clock-skew'), ...timed, offsetS: z.number().min(-86_400).max(86_400) }),
  z.strictObject({ kind: z.literal('lossy'), ...timed, lossPct: pct }),
  z.strictObject({ kind: z.literal('duplicates'), ...timed, pct }),
  z.strictObject({ kind: z.literal('reorder'), ...timed, pct }),
  z.strictObject({ kind: z.literal('malformed'), ...timed, pct }),
  z.strictObject({ kind: z.literal('no-ack'), ...timed }),
  z.strictObject({ kind: z.literal('slow-ack'), ...timed, delayMs: z.number().int().min(0).max(600_000) }),
  z.strictObject({ kind: z.literal('reject'), ...timed, reason: z.enum(ACK_REASONS) }),
  z.strictObject({ kind: z.literal('no-report'), ...timed }),
  z.strictObject({ kind: z.literal('no-sound'), ...timed }),
  z.strictObject({ kind: z.literal('weak-sound'), ...timed, soundDb: z.number().min(0).max(200) }),
  z.strictObject({ kind: z.literal('pattern-drift'), ...timed, factor: z.number().gt(0).max(10) }),
  z.strictObject({ kind: z.literal('reboot'), ...once }),
  // Multimedia sirens only: a spoken message that never finishes, or that plays without sound.
  z.strictObject({ kind: z.literal('voice-fail'), ...timed }),
  z.strictObject({ kind: z.literal('voice-mute'), ...timed }),
] as const;

interface Selection {
  kind: FaultKind;
  sirens?: string[];
  district?: string;
  count?: number;
  fraction?: number;
}

function checkSelection(fault: Selection, ctx: z.RefinementCtx): void {
  const countSelects = fault.kind !== 'amplifier' && fault.count !== undefined;
  const ways = [fault.sirens, fault.district, fault.fraction].filter((w) => w !== undefined).length;
  if (ways === 0 && !countSelects) {
    ctx.addIssue({
      code: 'custom',
      message: fault.kind === 'amplifier'
        ? 'choose sirens with "sirens", "district" or "fraction" ("count" is the number of failed amplifiers here)'
        : 'choose sirens with one of "sirens", "district", "fraction" or "count"',
    });
  } else if (ways > 1 || (countSelects && fault.district === undefined && ways > 0)) {
    ctx.addIssue({ code: 'custom', message: 'use only one of "sirens", "district" (optionally with "count"), "fraction" or "count"' });
  }
}

const kindList = FAULT_KINDS.join(', ');
const faultUnion = z.discriminatedUnion('kind', faultSchemas, {
  error: (issue) => {
    if (issue.code !== 'invalid_union' || typeof issue.input !== 'object' || issue.input === null) return undefined;
    const value = (issue.input as { kind?: unknown }).kind;
    if (value === undefined) return `required (one of: ${kindList})`;
    return `unknown kind ${JSON.stringify(value)} (one of: ${kindList})`;
  },
});

const profileSchema = z.strictObject({
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  faults: z.array(faultUnion.superRefine(checkSelection)),
});

export type FaultSpec = z.output<typeof faultUnion>;
export type FaultProfile = z.output<typeof profileSchema>;
export type ProfileResult = { ok: true; profile: FaultProfile } | { ok: false; errors: string[] };

/** `faults[2].kind` from zod's `['faults', 2, 'kind']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}

/** Validates an already parsed profile document. */
export function validateFaultProfile(doc: unknown): ProfileResult {
  const result = profileSchema.safeParse(doc);
  if (result.success) return { ok: true, profile: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => `${i.path.length ? formatPath(i.path) : '(profile)'}: ${i.message}`),
  };
}

/** Parses and validates the text of a profile file. */
export function parseFaultProfile(text: string): ProfileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  return validateFaultProfile(doc);
}
