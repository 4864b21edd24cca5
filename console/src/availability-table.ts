import { h } from './dom.js';
import { fmtNumber, lang, t, type MessageKey } from './i18n.js';
import { districtName } from './map-data.js';
import { sirenHref } from './router.js';

/** A row of GET /api/reports/availability (by siren or by district). */
export interface AvailabilityRow {
  sirenId?: string;
  sirenName?: string;
  districtCode: string;
  districtName: string;
  sirens?: number;
  availability: number | null;
  offlineSeconds: number;
  impairedSeconds: number;
  mttrSeconds: number | null;
  repairs: number;
}

/** Two decimals, rounded down (99.996 % is not 100 %): 99.5 % and 99.95 % are not the same network. */
export function fmtAvailability(x: number | null): string {
  if (x === null) return t('value.none');
  return new Intl.NumberFormat(lang(), { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.floor(x * 10_000 + 1e-9) / 10_000);
}

/** Seconds as `2 d 03:04:05` (days only when there are some). */
export function fmtDuration(seconds: number | null): string {
  if (seconds === null) return t('value.none');
  const s = Math.round(seconds);
  const d = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return d ? `${d} d ${hms}` : hms;
}

const COLS: MessageKey[] = ['reports.col.availability', 'reports.col.offline', 'reports.col.impaired', 'reports.col.mttr', 'reports.col.repairs'];

/** The availability table, worst first, each row carrying its figure for automated checks. */
export function availabilityTable(rows: AvailabilityRow[], group: 'district' | 'siren'): HTMLElement {
  const sorted = [...rows].sort((a, b) => (a.availability ?? 2) - (b.availability ?? 2));
  const head = group === 'district' ? ['districts.district', 'reports.col.sirens'] : ['reports.col.name', 'districts.district'];
  return h(
    'table',
    { class: 'grid', 'data-testid': 'availability-table', 'data-group': group },
    h('thead', {}, h('tr', {}, ...[...head, ...COLS].map((k, i) => h('th', { scope: 'col', class: i > 0 && !(group === 'siren' && i === 1) ? 'num' : '' }, t(k as MessageKey))))),
    h(
      'tbody',
      {},
      ...sorted.map((r) => {
        const key = r.sirenId ?? r.districtCode;
        const lead =
          group === 'district'
            ? [h('th', { scope: 'row' }, districtName(r.districtCode, r.districtName)), h('td', { class: 'num' }, fmtNumber(r.sirens ?? 0))]
            : [h('th', { scope: 'row' }, h('a', { href: sirenHref(key) }, key), ' ', h('span', { class: 'muted' }, r.sirenName ?? '')), h('td', {}, districtName(r.districtCode, r.districtName))];
        return h(
          'tr',
          { 'data-testid': `avail-${key}`, 'data-availability': r.availability ?? '' },
          ...lead,
          h('td', { class: 'num' }, fmtAvailability(r.availability)),
          h('td', { class: 'num' }, fmtDuration(r.offlineSeconds)),
          h('td', { class: 'num' }, fmtDuration(r.impairedSeconds)),
          h('td', { class: 'num' }, fmtDuration(r.mttrSeconds)),
          h('td', { class: 'num' }, fmtNumber(r.repairs)),
        );
      }),
    ),
  );
}
