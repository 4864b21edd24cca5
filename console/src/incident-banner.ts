import { h } from './dom.js';
import { acknowledgeIncident } from './fault-actions.js';
import { fmtDate, t } from './i18n.js';
import { districtName } from './map-data.js';
import { can } from './session.js';
import type { Incident } from './types.js';

/** The open incidents, newest first, one line each: a district's power cut is one line, not 300. */
export function incidentBanner(): { element: HTMLElement; update(incidents: Incident[]): void } {
  const list = h('ul');
  const element = h('section', { class: 'incidents', 'aria-label': t('incident.title'), hidden: true }, list);
  return {
    element,
    update(incidents) {
      element.hidden = incidents.length === 0;
      const sorted = [...incidents].sort((a, b) => (a.openedAt < b.openedAt ? 1 : -1));
      list.replaceChildren(
        ...sorted.map((i) => {
          const district = i.districtCode ? districtName(i.districtCode, i.districtName) : t('incident.everywhere');
          const line = t('incident.line', { kind: t(`incident.${i.kind}`), district, n: i.sirenCount, time: fmtDate(i.openedAt, 'short') });
          const acked = i.ackedAt !== null;
          return h(
            'li',
            { class: `incident${acked ? '' : ' flash'}`, 'data-testid': `incident-${i.id}` },
            h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚑'),
            h('span', { class: 'incident-text' }, line),
            acked
              ? h('span', { class: 'muted' }, t('incident.acked', { who: i.ackedBy ?? '' }))
              : can('operator')
                ? h('button', { type: 'button', class: 'btn small primary', onclick: () => void acknowledgeIncident(i) }, t('action.ack'))
                : null,
          );
        }),
      );
    },
  };
}
