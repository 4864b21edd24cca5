import { api } from './api.js';
import { h } from './dom.js';
import { t, type MessageKey } from './i18n.js';
import { lineChart } from './line-chart.js';
import type { HistoryPoint } from './types.js';

/** Periods to choose from: hours back, and how the button says it. */
const RANGES: [number, MessageKey, number][] = [
  [1, 'duration.hours', 1],
  [6, 'duration.hours', 6],
  [24, 'duration.hours', 24],
  [168, 'duration.days', 7],
];

/** Battery voltage, temperature and RSSI over a chosen period, from the history API. */
export function sirenHistory(id: string): { element: HTMLElement; reload(): void } {
  let hours = 6;
  const charts = h('div', { class: 'charts' });
  const buttons = RANGES.map(([hrs, key, n]) => {
    const b = h('button', { type: 'button', class: 'btn small', 'aria-pressed': String(hrs === hours) }, t(key, { n }));
    b.addEventListener('click', () => {
      hours = hrs;
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      reload();
    });
    return b;
  });
  let request = 0;
  async function reload(): Promise<void> {
    const mine = ++request;
    const to = Date.now();
    const from = to - hours * 3_600_000;
    const points = await api<HistoryPoint[]>(`/api/sirens/${encodeURIComponent(id)}/history?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&limit=100000`).catch(() => []);
    if (mine !== request) return;
    const series = (pick: (p: HistoryPoint) => number | null): [number, number][] =>
      points.flatMap((p) => {
        const v = pick(p);
        return v === null || v === undefined ? [] : [[Date.parse(p.ts), v] as [number, number]];
      });
    charts.replaceChildren(
      lineChart({ label: t('chart.batteryV'), unit: 'V', points: series((p) => p.batteryV) }, from, to),
      lineChart({ label: t('chart.temperature'), unit: '°C', points: series((p) => p.temperatureC) }, from, to),
      lineChart({ label: t('chart.rssi'), unit: 'dBm', points: series((p) => p.rssiDbm) }, from, to),
    );
  }
  const element = h(
    'section',
    { class: 'panel history' },
    h('h2', {}, t('detail.history')),
    h('div', { class: 'range', role: 'group', 'aria-label': t('detail.range') }, ...buttons),
    charts,
  );
  void reload();
  return { element, reload: () => void reload() };
}
