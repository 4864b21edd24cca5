import { HEALTH_ICON } from './badges.js';
import { h, setText } from './dom.js';
import { t, type MessageKey } from './i18n.js';
import { HEALTHS, type Summary } from './types.js';

interface Tile {
  value: HTMLElement;
  read(s: Summary): number;
}

/** One tile per health (and totals); each value carries the summary-* test hook, text = the number. */
export function summaryTiles(): { element: HTMLElement; update(s: Summary | null): void } {
  const tiles: Tile[] = [];
  const tile = (cls: string, label: MessageKey, icon: string, href: string | null, testid: string | null, read: (s: Summary) => number) => {
    const value = h('span', { class: 'tile-value', 'data-testid': testid });
    tiles.push({ value, read });
    const body = [h('span', { class: 'tile-label' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), t(label)), value];
    return href ? h('a', { class: `tile ${cls}`, href, title: t('summary.show') }, ...body) : h('div', { class: `tile ${cls}` }, ...body);
  };
  const element = h(
    'section',
    { class: 'tiles', 'aria-label': t('summary.total') },
    tile('total', 'summary.total', '∑', '#/sirens', 'summary-total', (s) => s.total),
    ...HEALTHS.map((hl) => tile(`h-${hl}`, `health.${hl}`, HEALTH_ICON[hl], `#/sirens?health=${hl}`, `summary-${hl}`, (s) => s.byHealth[hl])),
    tile('faults', 'summary.activeFaults', '⚠', null, null, (s) => s.activeFaults),
    tile('faults', 'summary.unackedFaults', '☐', null, null, (s) => s.unackedFaults),
    tile('faults', 'summary.openIncidents', '⚑', null, null, (s) => s.openIncidents),
  );
  return {
    element,
    update(s) {
      for (const x of tiles) {
        const n = s ? x.read(s) : null;
        setText(x.value, n === null ? '…' : String(n));
        x.value.parentElement!.classList.toggle('zero', n === 0);
      }
    },
  };
}
