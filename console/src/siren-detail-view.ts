import { ApiError, api } from './api.js';
import { faultLabel, healthBadge, severityBadge } from './badges.js';
import { h } from './dom.js';
import { faultButtons, setMaintenance } from './fault-actions.js';
import { fmtAgo, fmtDate, label, t } from './i18n.js';
import { districtName } from './map-data.js';
import { can } from './session.js';
import { sirenFacts } from './siren-facts.js';
import { sirenHistory } from './siren-history.js';
import { store } from './store.js';
import type { Fault, SirenDetail } from './types.js';

function faultsTable(faults: Fault[]): HTMLElement {
  if (!faults.length) return h('p', { class: 'empty' }, t('detail.noFaults'));
  const live = (f: Fault) => store.faults.get(f.id) ?? f;
  return h(
    'table',
    { class: 'grid' },
    h('thead', {}, h('tr', {}, ...(['col.severity', 'col.fault', 'col.raised', 'col.state', 'col.actions'] as const).map((k) => h('th', { scope: 'col' }, t(k))))),
    h(
      'tbody',
      {},
      ...faults.map(live).map((f) =>
        h(
          'tr',
          { 'data-testid': `fault-${f.id}`, class: f.state === 'closed' ? 'past' : '' },
          h('td', {}, severityBadge(f.severity)),
          h('td', {}, faultLabel(f.type), typeof f.detail === 'string' ? h('div', { class: 'muted' }, f.detail) : null, f.note ? h('div', { class: 'muted' }, '✎ ', f.note) : null),
          h('td', {}, fmtDate(f.raisedAt), f.clearedAt ? h('div', { class: 'muted' }, t('detail.cleared', { time: fmtDate(f.clearedAt) })) : null),
          h(
            'td',
            {},
            t(`state.${f.state}`),
            f.ackedBy && f.ackedAt ? h('div', { class: 'muted' }, t('state.ackedBy', { who: f.ackedBy, time: fmtDate(f.ackedAt) })) : null,
            f.shelvedUntil && Date.parse(f.shelvedUntil) > Date.now() ? h('div', { class: 'muted' }, t('state.shelvedUntil', { time: fmtDate(f.shelvedUntil) })) : null,
          ),
          h('td', { class: 'actions' }, ...(f.state === 'closed' ? [] : faultButtons(f))),
        ),
      ),
    ),
  );
}

function eventsList(d: SirenDetail): HTMLElement {
  if (!d.recentEvents.length) return h('p', { class: 'empty' }, t('detail.noEvents'));
  return h(
    'ol',
    { class: 'events' },
    ...d.recentEvents.map(({ receivedAt, event }) => {
      const extra = ['pattern', 'result', 'soundDb', 'failure', 'ok'].filter((k) => event[k] !== undefined && event[k] !== null).map((k) => `${k}: ${String(event[k])}`);
      return h('li', {}, h('time', { datetime: receivedAt }, fmtDate(receivedAt)), ' ', h('strong', {}, label('event', event.type)), extra.length ? h('span', { class: 'muted' }, ` ${extra.join(', ')}`) : null);
    }),
  );
}

/** One siren: status, faults (active and past) with actions, recent events, history charts; live. */
export function mountSirenDetail(host: HTMLElement, params: Record<string, string>): () => void {
  const id = params.id;
  const head = h('div', { class: 'detail-head' });
  const facts = h('section', { class: 'panel facts' });
  const faults = h('section', { class: 'panel' });
  const events = h('section', { class: 'panel' });
  const history = sirenHistory(id);
  host.replaceChildren(
    h('div', { class: 'detail' }, h('a', { href: '#/sirens', class: 'back' }, '← ', t('detail.back')), head, h('div', { class: 'detail-grid' }, facts, faults, events), history.element),
  );

  let request = 0;
  async function load(): Promise<void> {
    const mine = ++request;
    try {
      const d = await api<SirenDetail>(`/api/sirens/${encodeURIComponent(id)}`);
      if (mine === request) draw(d);
    } catch (e) {
      if (mine === request && e instanceof ApiError && e.status === 404) head.replaceChildren(h('h1', {}, t('detail.notFound', { id })));
    }
  }

  function draw(d: SirenDetail): void {
    const maintenance = can('operator')
      ? h('button', { type: 'button', class: 'btn', onclick: () => void setMaintenance(d, !d.maintenance).then((done) => (done ? load() : undefined)) }, t(d.maintenance ? 'action.maintenanceOff' : 'action.maintenanceOn'))
      : null;
    head.replaceChildren(
      h('h1', {}, d.name),
      h('div', { class: 'detail-sub', 'data-testid': `siren-${d.id}`, 'data-health': d.health }, healthBadge(d.health), ` ${d.id} · ${districtName(d.districtCode, d.districtName)} · ${t('detail.lastSeen')} ${fmtAgo(d.lastSeenAt)}`),
      maintenance ?? '',
    );
    facts.replaceChildren(h('h2', {}, t('detail.status')), sirenFacts(d));
    faults.replaceChildren(h('h2', {}, t('detail.faults')), faultsTable(d.faults));
    events.replaceChildren(h('h2', {}, t('detail.events')), eventsList(d));
  }

  let pending: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => void load(), 300);
  };
  const unsubscribe = store.subscribe((c) => {
    if (c.all || c.faults || c.sirens.has(id)) soon();
  });
  const timer = setInterval(() => {
    void load();
    history.reload();
  }, 30_000);
  void load();
  return () => {
    unsubscribe();
    clearInterval(timer);
    clearTimeout(pending);
  };
}
