import { api } from './api.js';
import { drillStateBadge } from './badges.js';
import { coalesce, h } from './dom.js';
import { modeText, scopeText } from './drill-format.js';
import { drillPlanForm } from './drill-plan-form.js';
import { drillSchedules } from './drill-schedules.js';
import type { DrillListItem } from './drill-types.js';
import { fmtDate, t } from './i18n.js';
import { can } from './session.js';
import { store } from './store.js';

/** Progress events come often while a drill runs: the list is re-read at most this often. */
const RELOAD_MS = 1_000;

function row(d: DrillListItem): HTMLElement {
  const live = store.drills.get(d.id);
  const state = live?.state ?? d.state;
  const progress = state === 'running' && live ? t('drill.progressShort', { done: live.progress.done, total: live.progress.total }) : '';
  return h(
    'tr',
    { 'data-testid': `drill-${d.id}`, 'data-state': state },
    h('td', {}, drillStateBadge(state), progress ? h('div', { class: 'muted' }, progress) : null),
    h('td', {}, h('a', { href: `#/drills/${encodeURIComponent(d.id)}` }, d.name)),
    h('td', {}, modeText(d)),
    h('td', {}, scopeText(d.scope)),
    h('td', {}, fmtDate(d.createdAt, 'short')),
    h('td', {}, fmtDate(d.startedAt, 'short')),
  );
}

/** The drills panel: every drill (newest first, live state), and for engineers the plan form; the repeating schedules. */
export function mountDrills(host: HTMLElement): () => void {
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, t('drills.none'));
  const schedules = drillSchedules();
  const form = can('engineer') ? drillPlanForm(schedules.reload) : null;
  let drills: DrillListItem[] = [];
  host.replaceChildren(
    h(
      'div',
      { class: 'drills-page' },
      h(
        'section',
        { class: 'panel drill-list' },
        h('h2', {}, t('drills.title')),
        h(
          'table',
          { class: 'grid' },
          h('thead', {}, h('tr', {}, ...(['col.state', 'col.name', 'drill.mode', 'drill.scope', 'drill.created', 'drill.started'] as const).map((k) => h('th', { scope: 'col' }, t(k))))),
          body,
        ),
        empty,
      ),
      h('div', { class: 'drill-side' }, form ? h('section', { class: 'panel' }, h('h2', {}, t('plan.title')), form.element) : null, schedules.element),
    ),
  );

  const draw = () => {
    empty.hidden = drills.length > 0;
    body.replaceChildren(...drills.map(row));
  };
  let request = 0;
  async function load(): Promise<void> {
    const mine = ++request;
    const list = await api<DrillListItem[]>('/api/drills').catch(() => null);
    if (mine !== request || !list) return;
    drills = list;
    draw();
  }
  const reload = coalesce(() => void load(), RELOAD_MS);
  /** A drill the list does not know, or in another state than listed: re-read; else only the progress changed. */
  const stale = (id: string) => !drills.some((d) => d.id === id && d.state === store.drills.get(id)?.state);
  const unsubscribe = store.subscribe((c) => {
    if (c.all) form?.refreshDistricts();
    if (c.all || [...c.drills].some(stale)) reload.soon();
    else if (c.drills.size) draw();
  });
  void load();
  return () => {
    unsubscribe();
    reload.cancel();
  };
}
