import { faultLabel, healthBadge } from './badges.js';
import { h } from './dom.js';
import { fmtAgo, fmtNumber, t } from './i18n.js';
import { districtName } from './map-data.js';
import { sirenHref } from './router.js';
import type { Siren } from './types.js';

/** The card beside the map for the siren the operator clicked. */
export function sirenCard(siren: Siren, onClose: () => void): HTMLElement {
  const row = (label: string, value: string | Node) => [h('dt', {}, label), h('dd', {}, value)];
  return h(
    'aside',
    { class: 'map-card panel', 'aria-label': siren.name, 'data-testid': `siren-${siren.id}`, 'data-health': siren.health },
    h('button', { type: 'button', class: 'btn small close', onclick: onClose, 'aria-label': t('map.close') }, '✕'),
    h('h2', {}, siren.name),
    h('p', {}, healthBadge(siren.health), ' ', h('span', { class: 'muted' }, siren.id)),
    h(
      'dl',
      {},
      ...row(t('col.district'), districtName(siren.districtCode, siren.districtName)),
      ...row(t('col.faults'), siren.activeFaults.map(faultLabel).join('、') || t('value.none')),
      ...row(t('col.battery'), siren.batteryPct === null ? t('value.none') : `${fmtNumber(siren.batteryPct)} %`),
      ...row(t('col.power'), siren.mains === null ? t('value.none') : t(siren.mains ? 'power.mains' : 'power.battery')),
      ...row(t('col.lastSeen'), siren.online ? t('sirens.connected') : fmtAgo(siren.lastSeenAt)),
    ),
    h('a', { class: 'btn primary', href: sirenHref(siren.id) }, t('action.details')),
  );
}
