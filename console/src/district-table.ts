import { HEALTH_ICON, healthLabel } from './badges.js';
import { h } from './dom.js';
import { fmtNumber, fmtPercent, t } from './i18n.js';
import { districtName } from './map-data.js';
import { HEALTHS, type Summary } from './types.js';

/** Per district: how many sirens in each health, and the share that can sound (ok or degraded). */
export function districtTable(): { element: HTMLElement; update(s: Summary | null): void } {
  const body = h('tbody');
  const element = h(
    'section',
    { class: 'panel districts' },
    h('h2', {}, t('districts.title')),
    h(
      'table',
      { class: 'grid' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('districts.district')),
          h('th', { scope: 'col', class: 'num' }, t('districts.total')),
          ...HEALTHS.map((hl) => h('th', { scope: 'col', class: `num h-text-${hl}`, title: healthLabel(hl) }, h('span', { 'aria-hidden': 'true' }, HEALTH_ICON[hl]), h('span', { class: 'th-label' }, healthLabel(hl)))),
          h('th', { scope: 'col', class: 'num' }, t('districts.ready')),
        ),
      ),
      body,
    ),
  );
  return {
    element,
    update(s) {
      body.replaceChildren(
        ...(s?.byDistrict ?? []).map((d) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, h('a', { href: `#/sirens?district=${encodeURIComponent(d.districtCode)}` }, districtName(d.districtCode, d.districtName))),
            h('td', { class: 'num' }, fmtNumber(d.total)),
            ...HEALTHS.map((hl) => {
              const n = d.byHealth[hl];
              const cell = n > 0 ? h('a', { href: `#/sirens?district=${encodeURIComponent(d.districtCode)}&health=${hl}` }, fmtNumber(n)) : fmtNumber(n);
              return h('td', { class: `num${n > 0 && hl !== 'ok' ? ` h-text-${hl}` : ''}` }, cell);
            }),
            h('td', { class: 'num' }, d.total ? fmtPercent((d.byHealth.ok + d.byHealth.degraded) / d.total) : t('value.none')),
          ),
        ),
      );
    },
  };
}
