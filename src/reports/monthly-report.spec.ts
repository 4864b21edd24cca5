import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availabilityRow, sirenAvailability } from './availability.js';
import { monthlyCsv } from './monthly-report.csv.js';
import { duration, monthlyHtml } from './monthly-report.html.js';
import type { MonthlyData } from './monthly-report.js';
import { monthRange } from './month.js';

const GOLDEN = join(process.cwd(), 'src/reports/golden');
/** Compares with the golden file; `UPDATE_GOLDEN=1` rewrites it (then review the diff). */
function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const H = 3_600_000;
const { from, to } = monthRange('2026-09', 'Asia/Shanghai');
const none = { offline: [], impaired: [], maintenance: [] };
const a1 = sirenAvailability(from, to, { ...none, offline: [[from + 50 * H, from + 53 * H]] });
const a2 = sirenAvailability(from, to, { ...none, impaired: [[from + 100 * H, from + 100.5 * H]], maintenance: [[from, from + 24 * H]] });
const a3 = sirenAvailability(from, to, none);
const siren = (id: string, name: string, d: [string, string], a: typeof a1) => ({ sirenId: id, sirenName: name, districtCode: d[0], districtName: d[1], ...availabilityRow([a]) });
const DH: [string, string] = ['360102', '东湖区'];
const QYP: [string, string] = ['360104', '青云谱区'];
const sirens = [siren('NC-01-001', '八一广场', DH, a1), siren('NC-01-002', '滕王阁', DH, a2), siren('NC-03-001', '青云谱站, "南"', QYP, a3)];

const data: MonthlyData = {
  month: '2026-09',
  timeZone: 'Asia/Shanghai',
  from,
  to,
  generatedAt: to + 600_000,
  fleet: { sirens: 3, ...availabilityRow([a1, a2, a3]) },
  districts: [
    { districtCode: DH[0], districtName: DH[1], sirens: 2, ...availabilityRow([a1, a2]) },
    { districtCode: QYP[0], districtName: QYP[1], sirens: 1, ...availabilityRow([a3]) },
  ],
  sirens,
  worst: [sirens[0], sirens[1]],
  faultsByType: [
    { type: 'OFFLINE', severity: 'critical', count: 1 },
    { type: 'BATTERY_LOW', severity: 'major', count: 1 },
    { type: 'MAINS_FAILURE', severity: 'minor', count: 6 },
  ],
  faultsByDistrict: [{ districtCode: DH[0], districtName: DH[1], total: 8, byType: { OFFLINE: 1, BATTERY_LOW: 1, MAINS_FAILURE: 6 } }],
  incidents: [{ id: 'i-1', kind: 'power', districtName: DH[1], openedAt: from + 200 * H, closedAt: from + 202 * H, sirenCount: 6 }],
  drills: [{ id: 'd-918', name: '2026 年 9·18 防空警报试鸣', mode: 'audible', state: 'completed', startedAt: Date.parse('2026-09-18T02:00:00Z'), pass: 2, fail: 1, excused: 0, passRate: 2 / 3 }],
};

describe('monthly report', () => {
  it('prints the month in Chinese (golden file)', () => golden('monthly-2026-09.zh-CN.html', monthlyHtml(data, 'zh-CN')));
  it('prints the month in English (golden file)', () => golden('monthly-2026-09.en.html', monthlyHtml(data, 'en')));
  it('writes the figures as long-form CSV (golden file)', () => golden('monthly-2026-09.csv', monthlyCsv(data)));

  it('carries the availability figures unchanged into the CSV', () => {
    const csv = monthlyCsv(data);
    expect(csv).toContain(`siren,NC-01-001,八一广场,360102,东湖区,availability,${sirens[0].availability}\r\n`);
    expect(csv).toContain(`district,,,360102,东湖区,mttrSeconds,${data.districts[0].mttrSeconds}\r\n`);
    expect(csv).toContain('siren,NC-03-001,"青云谱站, ""南""",360104,青云谱区,availability,1\r\n');
  });

  it('says when the month is still in progress', () => {
    expect(monthlyHtml({ ...data, to: data.generatedAt }, 'en')).toContain('month in progress');
    expect(monthlyHtml(data, 'en')).not.toContain('month in progress');
  });

  it('writes durations as days and h:mm:ss', () => {
    expect(duration(3 * 3600 + 61)).toBe('03:01:01');
    expect(duration(2 * 86_400 + 5)).toBe('2 d 00:00:05');
    expect(duration(null)).toBe('—');
  });
});
