import { describe, expect, it } from '@jest/globals';
import { statusSchema } from './payloads.js';
import { seededRandom } from './random.js';
import { isPlainStatus } from './status-check.js';

const STATUS = {
  sirenId: 'NC-DH-0001', bootId: 'b-5f2c', seq: 1042, ts: '2026-09-18T02:00:30.004Z', mode: 'idle', mains: true, batteryV: 26.9,
  batteryPct: 93, charger: 'ok', doorOpen: false, temperatureC: 31.5, amplifiers: [true, true, true, true], speakerOk: true, rssiDbm: -71, commsPath: '4g',
};
type Variant = Record<string, unknown>;

/** Values at, just inside and just outside each bound, wrong types, and absent: for every field. */
const EDGES: Record<string, unknown[]> = {
  sirenId: ['A', 'x'.repeat(64), 'x'.repeat(65), '', 'NC DH', 'NC-东', 7, null],
  bootId: ['b', 'b'.repeat(64), 'b'.repeat(65), '', '东湖', 1, null],
  seq: [0, 1, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, '1', null, true],
  ts: ['2026-09-18T10:00:30+08:00', '2026-09-18T10:00:30Z', '2026-09-18T10:00Z', '2026-09-18 10:00:30Z', '2026-02-30T00:00:00Z', '2024-02-29T00:00:00.1Z', '2026-09-18T10:00:30', '', 0],
  mode: ['idle', 'sounding', 'testing', 'maintenance', 'asleep', 'IDLE', null],
  mains: [true, false, 'true', 0, null],
  batteryV: [0, 60, -0.001, 60.001, '26', null],
  batteryPct: [0, 100, -0.001, 100.001, 50.5, '93', null],
  charger: ['ok', 'fault', 'off', 'broken', null],
  doorOpen: [true, false, 1, null],
  temperatureC: [-50, 100, -50.001, 100.001, 0, null, '31'],
  amplifiers: [[], Array(64).fill(true), Array(65).fill(true), [true, 1], [null], 'true', null, {}],
  speakerOk: [true, false, null, 'yes'],
  rssiDbm: [-150, 0, -150.001, 0.001, null, '-71'],
  commsPath: ['4g', 'radio', 'fiber', 'satellite', 'wifi', null],
};
const ABSENT = Symbol('absent');

function variants(): unknown[] {
  const out: unknown[] = [STATUS];
  for (const [field, values] of Object.entries(EDGES)) {
    for (const value of [...values, ABSENT]) {
      const v: Variant = { ...STATUS, [field]: value };
      if (value === ABSENT) delete v[field];
      out.push(v);
    }
  }
  out.push({ ...STATUS, extra: 1 }, { ...STATUS, __proto__: { mode: 'idle' } }, JSON.parse('{"__proto__":1,"seq":1}'), [], null, 'status', 42);
  return out;
}

/** Random mixtures of the edge values: several fields off at once. */
function mixtures(count: number, seed: number): Variant[] {
  const random = seededRandom(seed);
  const fields = Object.keys(EDGES);
  return Array.from({ length: count }, () => {
    const v: Variant = { ...STATUS };
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const field = fields[Math.floor(random() * fields.length)];
      const choices = [...EDGES[field], ABSENT];
      const value = choices[Math.floor(random() * choices.length)];
      if (value === ABSENT) delete v[field];
      else v[field] = value;
    }
    return v;
  });
}

/** What the schema says of it, and whether the check passed it as it is. */
function judge(v: unknown) {
  const schema = statusSchema.safeParse(v);
  return { schemaOk: schema.success, plain: isPlainStatus(v), unchanged: schema.success && JSON.stringify(sorted(schema.data)) === JSON.stringify(sorted(v)) };
}
const sorted = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v);

describe('isPlainStatus', () => {
  it('passes a payload only when the schema takes it and returns it unchanged: each bound of each field', () => {
    const all = variants();
    const wrong = all.map((v) => ({ v, ...judge(v) })).filter((j) => j.plain && !(j.schemaOk && j.unchanged));
    expect(wrong).toEqual([]);
  });

  it('passes every status the schema takes unchanged, so the schema runs only on what is odd', () => {
    const missed = [...variants(), ...mixtures(3_000, 7)].map((v) => ({ v, ...judge(v) })).filter((j) => j.schemaOk && j.unchanged && !j.plain);
    expect(missed).toEqual([]);
  });

  it('agrees with the schema on 3 000 payloads with several fields off at once', () => {
    const judged = mixtures(3_000, 11).map(judge);
    expect(judged.filter((j) => j.plain && !(j.schemaOk && j.unchanged))).toEqual([]);
    // Both answers occur, so the agreement says something.
    expect(judged.filter((j) => j.plain).length).toBeGreaterThan(100);
    expect(judged.filter((j) => !j.schemaOk).length).toBeGreaterThan(1_000);
  });
});
