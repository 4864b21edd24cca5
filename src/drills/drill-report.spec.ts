import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillEntity, DrillResultEntity } from './drill.entity.js';
import { compare, summarize, toCsv } from './drill-report.js';
import { toHtml } from './drill-report.html.js';

const GOLDEN = join(process.cwd(), 'src/drills/golden');
/** Compares with the golden file; `UPDATE_GOLDEN=1` rewrites it (then review the diff). */
function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const t0 = Date.parse('2026-09-18T02:00:00Z');
const drill: DrillEntity = {
  id: 'd-918',
  name: '2026 年 9·18 防空警报试鸣',
  scope: { districtCodes: ['360102', '360104'] },
  mode: 'audible',
  patterns: ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'],
  voice: null,
  gapS: 30,
  ackTimeoutS: 30,
  timeScale: 1,
  scheduledAt: null,
  state: 'completed',
  createdBy: 'eng.li',
  startedBy: 'eng.li',
  createdAt: t0 - 86_400_000,
  startedAt: t0,
  endedAt: t0 + 660_000,
  progress: { step: 2, nextStepAt: null },
  alertId: null,
  exercise: true,
};
const row = (sirenId: string, district: [string, string], verdict: DrillResultEntity['verdict'], detail = '', soundDb: number | null = 104.5): DrillResultEntity => ({
  drillId: 'd-918',
  sirenId,
  districtCode: district[0],
  districtName: district[1],
  verdict,
  detail,
  ackMs: verdict === 'FAIL_OFFLINE' || verdict === 'EXCUSED' ? null : 812,
  soundDb: verdict === 'FAIL_OFFLINE' || verdict === 'EXCUSED' ? null : soundDb,
  onSeconds: verdict === 'PASS' ? [180.2] : null,
  steps: [],
});
const DH: [string, string] = ['360102', '东湖区'];
const QYP: [string, string] = ['360104', '青云谱区'];
const results = [
  row('NC-01-001', DH, 'PASS'),
  row('NC-01-002', DH, 'FAIL_NO_SOUND', 'cn.air-raid: 40 dB, under 90 dB', 40),
  row('NC-01-003', DH, 'EXCUSED', 'in maintenance at start; no command sent'),
  row('NC-03-001', QYP, 'FAIL_OFFLINE', 'offline at start; no command sent'),
  row('NC-03-002', QYP, 'PASS'),
  row('NC-03-003', QYP, 'FAIL_PATTERN', 'cn.pre-alert: period 2 lasted 44.1 s, expected 36 s, "drift"'),
];

describe('drill reports', () => {
  it('sums up per verdict and per district (pass rate without the excused)', () => {
    const s = summarize(results);
    expect(s).toMatchObject({ pass: 2, fail: 3, excused: 1 });
    expect(s.byDistrict).toEqual([
      { districtCode: '360102', districtName: '东湖区', total: 3, pass: 1, fail: 1, excused: 1, passRate: 0.5 },
      { districtCode: '360104', districtName: '青云谱区', total: 3, pass: 1, fail: 2, excused: 0, passRate: 1 / 3 },
    ]);
  });

  it('writes the CSV of RFC 4180 (quoted fields, CRLF)', () => golden('drill-report.csv', toCsv(results)));

  it('writes the printable HTML report, with the change since the previous drill', () => {
    const before = results.map((r) => ({ ...r, verdict: r.sirenId === 'NC-01-002' ? ('PASS' as const) : r.sirenId === 'NC-03-002' ? ('FAIL_NO_ACK' as const) : r.verdict }));
    expect(compare(results, before)).toEqual({ newlyFailing: ['NC-01-002'], fixed: ['NC-03-002'] });
    golden('drill-report.html', toHtml(drill, results, { drill: { ...drill, id: 'd-917', name: '2025 年试鸣', startedAt: t0 - 365 * 86_400_000 }, results: before }, 'Asia/Shanghai'));
  });
});
