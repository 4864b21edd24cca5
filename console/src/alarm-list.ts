import { faultLabel, severityBadge } from './badges.js';
import { h } from './dom.js';
import { faultButtons } from './fault-actions.js';
import { fmtDate, t } from './i18n.js';
import { districtName } from './map-data.js';
import { sirenHref } from './router.js';
import { store } from './store.js';
import { isAnnunciated, needsAck, SEVERITY_RANK, type Fault, type Siren } from './types.js';
import { VirtualList } from './virtual-list.js';

/** Most severe first, and within a severity the newest first. */
function alarmOrder(a: Fault, b: Fault): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0);
}

function stateText(f: Fault): string {
  const parts = [t(`state.${f.state}`)];
  if (f.ackedBy && f.ackedAt) parts.push(t('state.ackedBy', { who: f.ackedBy, time: fmtDate(f.ackedAt, 'time') }));
  if (f.flapCount > 0) parts.push(t('state.flaps', { n: f.flapCount }));
  return parts.join(' · ');
}

/** What a row last showed, so unchanged rows are not rebuilt on every update. */
const shown = new WeakMap<HTMLElement, [Fault, Siren | undefined]>();

function renderRow(row: HTMLElement, f: Fault): void {
  const siren = store.sirens.get(f.sirenId);
  const last = shown.get(row);
  if (last && last[0] === f && last[1] === siren) return;
  shown.set(row, [f, siren]);
  row.dataset.testid = `fault-${f.id}`;
  row.className = `alarm-row sev-${f.severity}${needsAck(f) ? ' unacked' : ''}${needsAck(f) && f.severity === 'critical' ? ' flash' : ''}`;
  row.replaceChildren(
    h('span', { role: 'cell' }, severityBadge(f.severity)),
    h('span', { role: 'cell', class: 'time' }, h('time', { datetime: f.raisedAt }, fmtDate(f.raisedAt, 'short'))),
    h('span', { role: 'cell', class: 'ellipsis' }, h('a', { href: sirenHref(f.sirenId) }, siren?.name ?? f.sirenId), h('span', { class: 'muted' }, ` ${f.sirenId}`)),
    h('span', { role: 'cell', class: 'ellipsis' }, siren ? districtName(siren.districtCode, siren.districtName) : t('value.none')),
    h('span', { role: 'cell', class: 'ellipsis strong', title: typeof f.detail === 'string' ? f.detail : null }, faultLabel(f.type)),
    h('span', { role: 'cell', class: 'ellipsis muted' }, stateText(f)),
    h('span', { role: 'cell', class: 'actions' }, ...faultButtons(f)),
  );
}

/** The operators' alarm list: annunciated faults (not shelved, not in an incident), live. */
export function alarmList(): { element: HTMLElement; update(): void; destroy(): void } {
  const count = h('span', { class: 'muted' });
  const empty = h('p', { class: 'empty' }, '✓ ', t('alarms.empty'));
  const list = new VirtualList<Fault>({
    key: (f) => f.id,
    createRow: () => h('div', { class: 'alarm-row', role: 'row' }),
    renderRow,
    label: t('alarms.title'),
  });
  const head = h(
    'div',
    { class: 'alarm-row alarm-head', role: 'row' },
    ...(['col.severity', 'col.raised', 'col.siren', 'col.district', 'col.fault', 'col.state', 'col.actions'] as const).map((k) => h('span', { role: 'columnheader' }, t(k))),
  );
  const element = h('section', { class: 'panel alarms' }, h('h2', {}, t('alarms.title'), ' ', count), h('div', { class: 'alarm-table', role: 'table' }, head, list.element, empty));
  return {
    element,
    update() {
      const now = Date.now();
      const items = [...store.faults.values()].filter((f) => isAnnunciated(f, now)).sort(alarmOrder);
      count.textContent = t('alarms.count', { n: items.length });
      empty.hidden = items.length > 0;
      list.setItems(items);
    },
    destroy: () => list.destroy(),
  };
}
