import { iso } from '../common/time.js';
import type { DrillEntity, DrillResultEntity } from './drill.entity.js';
import { VERDICTS, type Verdict } from './verdicts.js';

export interface DistrictSummary {
  districtCode: string;
  districtName: string;
  total: number;
  pass: number;
  fail: number;
  excused: number;
  /** 鸣响率: passed of those that were judged (excused sirens left out). */
  passRate: number | null;
}

export function summarize(results: readonly DrillResultEntity[]) {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const districts = new Map<string, DistrictSummary>();
  for (const r of results) {
    if (r.verdict) byVerdict[r.verdict]++;
    let d = districts.get(r.districtCode);
    if (!d) districts.set(r.districtCode, (d = { districtCode: r.districtCode, districtName: r.districtName, total: 0, pass: 0, fail: 0, excused: 0, passRate: null }));
    d.total++;
    if (r.verdict === 'PASS') d.pass++;
    else if (r.verdict === 'EXCUSED') d.excused++;
    else if (r.verdict) d.fail++;
  }
  for (const d of districts.values()) d.passRate = d.pass + d.fail ? d.pass / (d.pass + d.fail) : null;
  const pass = byVerdict.PASS;
  const excused = byVerdict.EXCUSED;
  const fail = results.filter((r) => r.verdict && r.verdict !== 'PASS' && r.verdict !== 'EXCUSED').length;
  return { pass, fail, excused, byVerdict, byDistrict: [...districts.values()].sort((a, b) => (a.districtCode < b.districtCode ? -1 : 1)) };
}

/** When the last of its steps was judged (null for sirens judged at the start, or not yet). */
function decidedAt(r: DrillResultEntity): string | null {
  const times = r.steps.map((s) => s.decidedAt ?? null).filter((t) => t !== null);
  return r.verdict && times.length ? iso(Math.max(...times)) : null;
}

export function resultView(r: DrillResultEntity) {
  return { sirenId: r.sirenId, districtCode: r.districtCode, districtName: r.districtName, verdict: r.verdict, detail: r.detail, ackMs: r.ackMs, soundDb: r.soundDb, onSeconds: r.onSeconds, decidedAt: decidedAt(r) };
}

export function drillView(d: DrillEntity, results: readonly DrillResultEntity[]) {
  return {
    id: d.id,
    name: d.name,
    state: d.state,
    scope: d.scope,
    mode: d.mode,
    patterns: d.patterns,
    gapS: d.gapS,
    ackTimeoutS: d.ackTimeoutS,
    timeScale: d.timeScale,
    scheduledAt: iso(d.scheduledAt),
    createdBy: d.createdBy,
    startedBy: d.startedBy,
    createdAt: iso(d.createdAt),
    startedAt: iso(d.startedAt),
    endedAt: iso(d.endedAt),
    step: d.progress ? d.progress.step + 1 : null,
    progress: { total: results.length, done: results.filter((r) => r.verdict !== null).length },
    summary: summarize(results),
    results: results.map(resultView),
  };
}

/** Sirens failing now that passed in the previous drill of the same scope, and the other way round. */
export function compare(now: readonly DrillResultEntity[], before: readonly DrillResultEntity[]) {
  const prev = new Map(before.map((r) => [r.sirenId, r.verdict]));
  const failing = (v: Verdict | null | undefined) => !!v && v !== 'PASS' && v !== 'EXCUSED';
  return {
    newlyFailing: now.filter((r) => failing(r.verdict) && prev.get(r.sirenId) === 'PASS').map((r) => r.sirenId),
    fixed: now.filter((r) => r.verdict === 'PASS' && failing(prev.get(r.sirenId))).map((r) => r.sirenId),
  };
}

const CSV_COLUMNS = ['sirenId', 'districtCode', 'districtName', 'verdict', 'detail', 'ackMs', 'soundDb', 'onSeconds'] as const;

export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180: one header row, then one row per siren, CRLF line ends. */
export function toCsv(results: readonly DrillResultEntity[]): string {
  const rows = results.map((r) => {
    const v = resultView(r);
    return CSV_COLUMNS.map((c) => csvField(c === 'ackMs' && v.ackMs !== null ? Math.round(v.ackMs) : v[c])).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
