import { api, ApiError } from './api.js';
import { availabilityTable, fmtAvailability, type AvailabilityRow } from './availability-table.js';
import { h } from './dom.js';
import { fmtDate, parseZonedTime, t, TIME_ZONE } from './i18n.js';
import { lineChart } from './line-chart.js';
import { monthlyReports } from './monthly-downloads.js';
import { replaceQuery } from './router.js';

type Group = 'district' | 'siren';
interface TrendPoint {
  from: string;
  to: string;
  availability: number | null;
}

const DAY = 86_400_000;
const TREND_POINTS = 30;
const monthFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit' });

/** A calendar month of the control room's zone as [from, to). */
function monthPeriod(month: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: parseZonedTime(`${month}-01T00:00`)!.getTime(), to: parseZonedTime(`${next}-01T00:00`)!.getTime() };
}

/**
 * The reports panel: a period (a month, or the last 7 / 30 days), the availability table by district
 * or by siren, the network's availability over the period, and the monthly report's downloads.
 */
export function mountReports(host: HTMLElement, _params: Record<string, string>, query: URLSearchParams): () => void {
  const thisMonth = monthFmt.format(Date.now());
  let month = /^\d{4}-\d\d$/.test(query.get('month') ?? '') ? query.get('month')! : thisMonth;
  let days = Number(query.get('days')) || 0;
  let group: Group = query.get('group') === 'siren' ? 'siren' : 'district';

  const monthInput = h('input', { type: 'month', name: 'month', value: month, max: thisMonth, 'aria-label': t('reports.month') });
  const presets = ([7, 30] as const).map((n) => h('button', { type: 'button', class: 'btn small', 'data-days': n }, t(n === 7 ? 'reports.last7' : 'reports.last30')));
  const groups = (['district', 'siren'] as const).map((g) => h('button', { type: 'button', class: 'btn small', 'data-group': g }, t(g === 'district' ? 'reports.byDistrict' : 'reports.bySiren')));
  const periodText = h('p', { class: 'muted', 'data-testid': 'report-period' });
  const fleet = h('p', { class: 'strong', 'data-testid': 'fleet-availability' });
  const tableHost = h('div', { class: 'table-wrap' });
  const chartHost = h('div', { class: 'charts' });
  const downloads = monthlyReports();
  host.replaceChildren(
    h(
      'div',
      { class: 'reports-page' },
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, t('reports.title')),
        h('div', { class: 'range', role: 'group', 'aria-label': t('reports.period') }, monthInput, ...presets),
        h('div', { class: 'range', role: 'group' }, ...groups),
        periodText,
        fleet,
        tableHost,
        h('p', { class: 'muted' }, t('reports.definition')),
      ),
      h('section', { class: 'panel' }, h('h2', {}, t('reports.trend')), chartHost),
      downloads.element,
    ),
  );

  const period = () => (days ? { from: Date.now() - days * DAY, to: Date.now() } : monthPeriod(month));
  let request = 0;
  async function load(): Promise<void> {
    const mine = ++request;
    for (const b of presets) b.setAttribute('aria-pressed', String(Number(b.dataset.days) === days));
    for (const b of groups) b.setAttribute('aria-pressed', String(b.dataset.group === group));
    replaceQuery(new URLSearchParams(days ? { days: String(days), group } : { month, group }));
    downloads.show(month);
    // The month in progress ends now: one fixed period for every figure on the page (and for checks).
    const { from, to: end } = period();
    const to = Math.min(end, Date.now());
    const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
    periodText.textContent = t('reports.range', { from: fmtDate(from, 'short'), to: fmtDate(to, 'short') });
    Object.assign(periodText.dataset, { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    try {
      const [rows, [whole], trend] = await Promise.all([
        api<AvailabilityRow[]>(`/api/reports/availability?${q}&groupBy=${group}`),
        api<AvailabilityRow[]>(`/api/reports/availability?${q}&groupBy=fleet`),
        api<TrendPoint[]>(`/api/reports/availability/trend?${q}&points=${TREND_POINTS}`),
      ]);
      if (mine !== request) return;
      fleet.textContent = t('reports.fleet', { pct: fmtAvailability(whole.availability) });
      fleet.dataset.availability = String(whole.availability ?? '');
      tableHost.replaceChildren(rows.length ? availabilityTable(rows, group) : h('p', { class: 'empty' }, t('reports.none')));
      const points = trend.filter((p) => p.availability !== null).map((p): [number, number] => [Date.parse(p.to), p.availability! * 100]);
      chartHost.replaceChildren(lineChart({ label: t('reports.trendSeries'), unit: '%', points }, from, to));
    } catch (e) {
      if (mine === request) tableHost.replaceChildren(h('p', { class: 'warn' }, t('reports.failed', { reason: e instanceof ApiError ? e.message : String(e) })));
    }
  }

  monthInput.addEventListener('change', () => {
    if (!/^\d{4}-\d\d$/.test(monthInput.value)) return;
    month = monthInput.value;
    days = 0;
    void load();
  });
  for (const b of presets) b.addEventListener('click', () => ((days = Number(b.dataset.days)), void load()));
  for (const b of groups) b.addEventListener('click', () => ((group = b.dataset.group as Group), void load()));
  void load();
  return () => {
    request++;
  };
}
