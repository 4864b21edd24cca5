import { ApiError, api } from './api.js';
import { drillStateBadge } from './badges.js';
import { coalesce, h } from './dom.js';
import { drillActions } from './drill-actions.js';
import { modeText, scopeText } from './drill-format.js';
import { resultPoints, verdictColouring } from './drill-map.js';
import { drillResults } from './drill-results.js';
import { comparison, districtRates, drillProgress, verdictCounts } from './drill-summary.js';
import type { Drill } from './drill-types.js';
import { fmtDate, t } from './i18n.js';
import { mapWidget } from './map-widget.js';
import { store } from './store.js';

/** Progress events come with every siren judged: the drill is re-read at most this often. */
const RELOAD_MS = 1_000;

function facts(d: Drill): HTMLElement {
  const who = (name: string | null, at: string | null) => (at ? `${fmtDate(at)}${name ? ` · ${name}` : ''}` : t('value.none'));
  const rows: [string, string][] = [
    [t('drill.mode'), modeText(d)],
    [t('drill.scope'), scopeText(d.scope)],
    [t('drill.created'), who(d.createdBy, d.createdAt)],
    [t('drill.scheduledAt'), fmtDate(d.scheduledAt)],
    [t('drill.started'), who(d.startedBy, d.startedAt)],
    [t('drill.ended'), fmtDate(d.endedAt)],
    [t('drill.timing'), t('drill.timingValue', { ack: d.ackTimeoutS, gap: d.gapS, scale: String(d.timeScale) })],
  ];
  return h('dl', { class: 'facts-list' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** One drill: its plan, live progress, verdicts, 鸣响率 per district, the change since last time, the map by verdict, every siren's result. */
export function mountDrillView(host: HTMLElement, params: Record<string, string>): () => void {
  const id = params.id;
  const head = h('div', { class: 'detail-head' });
  const about = h('section', { class: 'panel' });
  const verdicts = h('section', { class: 'panel' });
  const rates = h('section', { class: 'panel' });
  const compare = h('section', { class: 'panel' });
  const results = drillResults();
  const map = mapWidget({ colouring: verdictColouring([]), focused: true });
  host.replaceChildren(
    h(
      'div',
      { class: 'drill-page' },
      h('a', { href: '#/drills', class: 'back' }, '← ', t('drill.back')),
      head,
      h('div', { class: 'drill-grid' }, h('div', { class: 'drill-facts' }, about, verdicts, rates, compare), h('section', { class: 'panel drill-map', 'aria-label': t('drill.map') }, map.element)),
      results.element,
    ),
  );

  let fitted = 0;
  let shownState = '';
  let latest: Drill | null = null;
  function draw(d: Drill): void {
    latest = d;
    // The buttons are rebuilt only when the state changes: a click must not land on a button being replaced.
    if (d.state !== shownState) {
      shownState = d.state;
      head.replaceChildren(h('h1', {}, d.name), h('span', { 'data-testid': 'drill-state', 'data-state': d.state }, drillStateBadge(d.state)), drillProgress(d), drillActions(d, () => latest ?? d, () => reload.soon()));
    } else head.children[2].replaceWith(drillProgress(d));
    about.replaceChildren(h('h2', {}, t('drill.plan')), facts(d));
    verdicts.replaceChildren(h('h2', {}, t('drill.verdicts')), verdictCounts(d));
    rates.replaceChildren(h('h2', {}, t('drill.byDistrict')), districtRates(d));
    compare.replaceChildren(h('h2', {}, t('compare.title')), comparison(d));
    results.update(d.results);
    map.setColouring(verdictColouring(d.results));
    if (d.results.length !== fitted) {
      fitted = d.results.length;
      map.setFocus(resultPoints(d.results));
    }
  }

  let request = 0;
  async function load(): Promise<void> {
    const mine = ++request;
    try {
      const d = await api<Drill>(`/api/drills/${encodeURIComponent(id)}`);
      if (mine === request) draw(d);
    } catch (e) {
      if (mine === request && e instanceof ApiError && e.status === 404) head.replaceChildren(h('h1', {}, t('drill.notFound', { id })));
    }
  }
  const reload = coalesce(() => void load(), RELOAD_MS);
  const unsubscribe = store.subscribe((c) => {
    if (c.all || c.drills.has(id)) reload.soon();
  });
  void load();
  return () => {
    unsubscribe();
    reload.cancel();
    results.destroy();
    map.destroy();
  };
}
