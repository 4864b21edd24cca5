/**
 * Compares a drill's per-siren verdicts with the simulator's ground truth: the engineers' rehearsal
 * check (`npm run sim:compare`). Pure; the CLI fetches and prints.
 */
import type { GroundTruth } from './ground-truth.js';

export interface DrillResultRow {
  sirenId: string;
  verdict: string | null;
  detail?: string | null;
}

export interface Disagreement {
  sirenId: string;
  expected: string | null;
  actual: string | null;
  detail: string | null;
}

export interface Comparison {
  compared: number;
  agreed: number;
  /** Sirens whose expected verdict cannot be foretold (a flapping link): not counted either way. */
  unforeseeable: string[];
  /** Drill sirens absent from the ground truth, and the other way round. */
  notInTruth: string[];
  notInDrill: string[];
  byVerdict: Record<string, { expected: number; actual: number }>;
  disagreements: Disagreement[];
}

export function compareWithGroundTruth(truth: GroundTruth, mode: 'audible' | 'silent', results: readonly DrillResultRow[]): Comparison {
  const out: Comparison = { compared: 0, agreed: 0, unforeseeable: [], notInTruth: [], notInDrill: [], byVerdict: {}, disagreements: [] };
  const count = (v: string, side: 'expected' | 'actual') => ((out.byVerdict[v] ??= { expected: 0, actual: 0 })[side] += 1);
  const seen = new Set<string>();
  for (const r of results) {
    seen.add(r.sirenId);
    const entry = truth.sirens[r.sirenId];
    if (!entry) {
      out.notInTruth.push(r.sirenId);
      continue;
    }
    const expected = entry.expectedVerdict?.[mode] ?? null;
    if (expected === null) {
      out.unforeseeable.push(r.sirenId);
      continue;
    }
    out.compared++;
    count(expected, 'expected');
    if (r.verdict) count(r.verdict, 'actual');
    if (r.verdict === expected) out.agreed++;
    else out.disagreements.push({ sirenId: r.sirenId, expected, actual: r.verdict, detail: r.detail ?? null });
  }
  out.notInDrill = Object.keys(truth.sirens).filter((id) => !seen.has(id));
  return out;
}

/** Lines for a terminal: agreement, counts per verdict, every disagreement. */
export function formatComparison(c: Comparison): string[] {
  const pct = c.compared ? ((100 * c.agreed) / c.compared).toFixed(1) : '—';
  const lines = [`agreement: ${c.agreed} of ${c.compared} sirens (${pct} %)`, 'verdict          expected  drill'];
  for (const [v, n] of Object.entries(c.byVerdict).sort()) lines.push(`${v.padEnd(16)} ${String(n.expected).padStart(8)}  ${String(n.actual).padStart(5)}`);
  for (const d of c.disagreements) lines.push(`DISAGREES ${d.sirenId}: expected ${d.expected}, drill says ${d.actual ?? 'no verdict'}${d.detail ? ` (${d.detail})` : ''}`);
  if (c.unforeseeable.length) lines.push(`not foreseeable (flapping): ${c.unforeseeable.join(', ')}`);
  if (c.notInTruth.length) lines.push(`in the drill but not in the ground truth: ${c.notInTruth.join(', ')}`);
  return lines;
}
