import { verdictBadge, verdictLabel } from './badges.js';
import { h, setAttr, setText } from './dom.js';
import { isFailure, VERDICTS, type DrillResult, type Verdict } from './drill-types.js';
import { fmtNumber, t, type MessageKey } from './i18n.js';
import { districtName } from './map-data.js';
import { sirenHref } from './router.js';
import { store } from './store.js';
import { VirtualList } from './virtual-list.js';

const COLUMNS: MessageKey[] = ['col.siren', 'col.district', 'results.verdict', 'results.detail', 'results.ackMs', 'results.soundDb'];
type Show = 'all' | 'failures' | 'pending';
const SHOWN: Record<Show, (r: DrillResult) => boolean> = { all: () => true, failures: (r) => isFailure(r.verdict), pending: (r) => r.verdict === null };
/** Failures first, worst first (API.md's order), then those awaiting a verdict, the excused, the passed. */
const ORDER: (Verdict | null)[] = [...VERDICTS.filter((v) => v.startsWith('FAIL_')), null, 'EXCUSED', 'PASS'];
const rank = (v: Verdict | null) => ORDER.indexOf(v);

function createRow(): HTMLElement {
  const row = h('div', { class: 'result-row', role: 'row' }, ...COLUMNS.map(() => h('span', { role: 'cell' })));
  row.children[0].append(h('a'));
  return row;
}

function renderRow(row: HTMLElement, r: DrillResult): void {
  const c = row.children;
  setAttr(row, 'data-testid', `result-${r.sirenId}`);
  setAttr(row, 'data-verdict', r.verdict ?? 'pending');
  const link = c[0].firstElementChild as HTMLAnchorElement;
  setAttr(link, 'href', sirenHref(r.sirenId));
  setText(link, store.sirens.get(r.sirenId)?.name ?? r.sirenId);
  setAttr(c[0], 'title', r.sirenId);
  setText(c[1], districtName(r.districtCode, r.districtName));
  if (c[2].textContent !== verdictLabel(r.verdict)) c[2].replaceChildren(verdictBadge(r.verdict));
  setText(c[3], r.detail ?? '');
  setAttr(c[3], 'title', r.detail ?? '');
  setText(c[4], r.ackMs === null ? t('value.none') : fmtNumber(r.ackMs));
  setText(c[5], r.soundDb === null ? t('value.none') : fmtNumber(r.soundDb, true));
}

/** Every siren's verdict and why (failures first), filterable; only the rows in view exist, for 10 000 sirens. */
export function drillResults(): { element: HTMLElement; update(results: DrillResult[]): void; destroy(): void } {
  let results: DrillResult[] = [];
  let show: Show = 'all';
  const count = h('span', { class: 'muted', role: 'status' });
  const list = new VirtualList<DrillResult>({ key: (r) => r.sirenId, createRow, renderRow, label: t('results.title') });
  const filter = h('select', { name: 'show', 'aria-label': t('results.show') }, ...(['all', 'failures', 'pending'] as const).map((v) => h('option', { value: v }, t(`results.show.${v}`))));
  const draw = () => {
    const items = results.filter(SHOWN[show]).sort((a, b) => rank(a.verdict) - rank(b.verdict) || (a.sirenId < b.sirenId ? -1 : 1));
    setText(count, t('sirens.count', { n: items.length, total: results.length }));
    list.setItems(items);
  };
  filter.addEventListener('change', () => {
    show = filter.value as Show;
    draw();
  });
  const element = h(
    'section',
    { class: 'panel results' },
    h('div', { class: 'panel-head' }, h('h2', {}, t('results.title')), filter, count),
    h('div', { class: 'result-table', role: 'table', 'aria-label': t('results.title') }, h('div', { class: 'result-row result-head', role: 'row' }, ...COLUMNS.map((k) => h('span', { role: 'columnheader' }, t(k)))), list.element),
  );
  return {
    element,
    update(next) {
      results = next;
      draw();
    },
    destroy: () => list.destroy(),
  };
}
