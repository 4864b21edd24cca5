import { iso } from '../common/time.js';
import { csvField } from '../drills/drill-report.js';
import type { AvailabilityRow } from './availability.js';
import type { MonthlyData } from './monthly-report.js';

const MONTHLY_CSV_COLUMNS = ['section', 'id', 'name', 'districtCode', 'districtName', 'metric', 'value'] as const;
const AVAILABILITY_METRICS = ['availability', 'offlineSeconds', 'impairedSeconds', 'mttrSeconds', 'repairs'] as const;

type Row = [section: string, id: string | null, name: string | null, districtCode: string | null, districtName: string | null, metric: string, value: unknown];

const availabilityRows = (section: string, id: string | null, name: string | null, code: string | null, district: string | null, r: AvailabilityRow): Row[] =>
  AVAILABILITY_METRICS.map((metric) => [section, id, name, code, district, metric, r[metric]]);

/**
 * The monthly report as RFC 4180 CSV in long form (one figure per row), language-neutral so that a
 * spreadsheet or script reads every month alike. Figures are those of the API, unrounded further.
 */
export function monthlyCsv(m: MonthlyData): string {
  const rows: Row[] = [
    ['period', m.month, m.timeZone, null, null, 'from', iso(m.from)],
    ['period', m.month, m.timeZone, null, null, 'to', iso(m.to)],
    ['period', m.month, m.timeZone, null, null, 'generatedAt', iso(m.generatedAt)],
    ['fleet', null, null, null, null, 'sirens', m.fleet.sirens],
    ...availabilityRows('fleet', null, null, null, null, m.fleet),
    ...m.districts.flatMap((d) => [
      ['district', null, null, d.districtCode, d.districtName, 'sirens', d.sirens] as Row,
      ...availabilityRows('district', null, null, d.districtCode, d.districtName, d),
    ]),
    ...m.sirens.flatMap((s) => availabilityRows('siren', s.sirenId, s.sirenName, s.districtCode, s.districtName, s)),
    ...m.worst.map((s, i): Row => ['worst', s.sirenId, s.sirenName, s.districtCode, s.districtName, 'rank', i + 1]),
    ...m.faultsByType.map((f): Row => ['faults', f.type, f.severity, null, null, 'count', f.count]),
    ...m.faultsByDistrict.flatMap((d) => Object.entries(d.byType).map(([type, n]): Row => ['faultsByDistrict', type, null, d.districtCode, d.districtName, 'count', n])),
    ...m.incidents.flatMap((i): Row[] => [
      ['incident', i.id, i.kind, null, i.districtName, 'openedAt', iso(i.openedAt)],
      ['incident', i.id, i.kind, null, i.districtName, 'closedAt', iso(i.closedAt)],
      ['incident', i.id, i.kind, null, i.districtName, 'sirenCount', i.sirenCount],
    ]),
    ...m.drills.flatMap((d) =>
      (['startedAt', 'pass', 'fail', 'excused', 'passRate'] as const).map((metric): Row => ['drill', d.id, d.name, null, null, metric, metric === 'startedAt' ? iso(d.startedAt) : d[metric]]),
    ),
  ];
  return [MONTHLY_CSV_COLUMNS.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\r\n') + '\r\n';
}
