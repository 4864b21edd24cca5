import { alertSeverityBadge, alertStatusBadge, drillStateBadge, urgencyBadge } from './badges.js';
import { h } from './dom.js';
import { alertOrder, type Alert } from './alert-types.js';
import { fmtDate, t } from './i18n.js';
import { store } from './store.js';

function item(a: Alert, selected: boolean): HTMLElement {
  const unseen = store.unseenAlerts.has(a.id);
  return h(
    'li',
    {},
    h(
      'a',
      {
        href: `#/alerts/${encodeURIComponent(a.id)}`,
        class: `alert-item sev-${a.severity ?? 'Unknown'}${unseen ? ' flash unseen' : ''}${selected ? ' selected' : ''}`,
        'data-testid': `alert-${a.id}`,
        'aria-current': selected ? 'true' : false,
      },
      h('div', { class: 'badges' }, alertSeverityBadge(a.severity), urgencyBadge(a.urgency), a.status === 'Actual' ? null : alertStatusBadge(a.status), unseen ? h('span', { class: 'badge new' }, t('alert.new')) : null),
      h('strong', {}, a.event ?? a.identifier),
      a.headline ? h('div', {}, a.headline) : null,
      h('div', { class: 'muted ellipsis' }, a.areas.map((x) => x.areaDesc).join('、')),
      h(
        'div',
        { class: 'muted' },
        t('alert.coverageShort', { n: a.coverage.sirens, ready: a.coverage.ready }),
        ' · ',
        h('time', { datetime: a.receivedAt }, fmtDate(a.receivedAt, 'short')),
        ...(a.activation ? [' · ', drillStateBadge(a.activation.state)] : []),
      ),
    ),
  );
}

/** The active alerts, most severe then newest first; one that arrived while the console was open flashes until opened. */
export function alertList(): { element: HTMLElement; update(selected: string | null): void } {
  const list = h('ul', { class: 'alert-items' });
  const count = h('span', { class: 'muted' });
  const empty = h('p', { class: 'empty' }, '✓ ', t('alerts.none'));
  const element = h('section', { class: 'panel alert-list', 'aria-label': t('alerts.title') }, h('h2', {}, t('alerts.title'), ' ', count), empty, list);
  return {
    element,
    update(selected) {
      const active = [...store.alerts.values()].filter((a) => a.state === 'active').sort(alertOrder);
      count.textContent = t('alerts.count', { n: active.length });
      empty.hidden = active.length > 0;
      list.replaceChildren(...active.map((a) => item(a, a.id === selected)));
    },
  };
}
