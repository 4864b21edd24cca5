import { faultLabel, HEALTH_ICON, healthLabel, setHealthBadge } from './badges.js';
import { h, setAttr, setText } from './dom.js';
import { fmtAgo, fmtNumber, label, t, type MessageKey } from './i18n.js';
import { districtName } from './map-data.js';
import { navigate, replaceQuery, sirenHref } from './router.js';
import { applyFilter, filterFromQuery, filterToQuery, type SirenFilter, type SortKey } from './siren-filter.js';
import { store } from './store.js';
import { CAPABILITIES, FAULT_TYPES, HEALTHS, type Siren } from './types.js';
import { VirtualList } from './virtual-list.js';

const COLUMNS: [MessageKey, SortKey | null][] = [
  ['col.status', 'health'],
  ['col.id', 'id'],
  ['col.name', 'name'],
  ['col.district', 'district'],
  ['col.faults', null],
  ['col.battery', 'battery'],
  ['col.power', null],
  ['col.mode', null],
  ['col.lastSeen', 'lastSeen'],
];

function createRow(): HTMLElement {
  const row = h('div', { class: 'siren-row', role: 'row' }, ...COLUMNS.map(() => h('span', { role: 'cell' })));
  (row.children[0] as HTMLElement).append(h('span'));
  (row.children[2] as HTMLElement).append(h('a'));
  return row;
}

function renderRow(row: HTMLElement, s: Siren): void {
  const c = row.children;
  setAttr(row, 'data-testid', `siren-${s.id}`);
  setAttr(row, 'data-health', s.health);
  setHealthBadge(c[0].firstElementChild as HTMLElement, s.health);
  setText(c[1], s.id);
  const link = c[2].firstElementChild as HTMLAnchorElement;
  setAttr(link, 'href', sirenHref(s.id));
  setText(link, s.name);
  setText(c[3], districtName(s.districtCode, s.districtName));
  setText(c[4], s.activeFaults.map(faultLabel).join('、'));
  setText(c[5], s.batteryPct === null ? t('value.none') : `${fmtNumber(s.batteryPct)} %`);
  setText(c[6], s.mains === null ? t('value.none') : t(s.mains ? 'power.mains' : 'power.battery'));
  setText(c[7], s.mode ? label('mode', s.mode) : t('value.none'));
  setText(c[8], s.online ? t('sirens.connected') : fmtAgo(s.lastSeenAt));
}

function fill(el: HTMLSelectElement, value: string, options: [string, string][]): void {
  el.replaceChildren(h('option', { value: '' }, t('sirens.all')), ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

function select(name: string, value: string, options: [string, string][], onchange: (v: string) => void): HTMLSelectElement {
  const el = h('select', { name });
  fill(el, value, options);
  el.addEventListener('change', () => onchange(el.value));
  return el;
}

const districtOptions = (): [string, string][] => (store.summary?.byDistrict ?? []).map((d) => [d.districtCode, districtName(d.districtCode, d.districtName)]);

/** The siren table: search, filters (district, health, fault type), sortable columns, live; only visible rows exist. */
export function mountSirenTable(host: HTMLElement, _params: Record<string, string>, query: URLSearchParams): () => void {
  const filter: SirenFilter = filterFromQuery(query);
  const count = h('span', { class: 'count', role: 'status' });
  const none = h('p', { class: 'empty', hidden: true }, t('sirens.none'));
  const list = new VirtualList<Siren>({ key: (s) => s.id, createRow, renderRow, label: t('sirens.title') });
  list.element.addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.siren-row');
    if (row && !(e.target as HTMLElement).closest('a')) navigate(`/sirens/${encodeURIComponent(row.dataset.testid!.slice('siren-'.length))}`);
  });
  const change = (patch: Partial<SirenFilter>) => {
    Object.assign(filter, patch);
    replaceQuery(filterToQuery(filter));
    draw();
    drawHead();
  };

  const search = h('input', { type: 'search', name: 'q', value: filter.q, placeholder: t('sirens.search'), 'aria-label': t('sirens.search') });
  let debounce: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => change({ q: search.value }), 120);
  });
  const districts = select('district', filter.district, districtOptions(), (v) => change({ district: v }));
  const bar = h(
    'div',
    { class: 'filters' },
    search,
    h('label', {}, t('sirens.district'), districts),
    h('label', {}, t('sirens.health'), select('health', filter.health, HEALTHS.map((x) => [x, `${HEALTH_ICON[x]} ${healthLabel(x)}`]), (v) => change({ health: v as SirenFilter['health'] }))),
    h('label', {}, t('sirens.faultType'), select('fault', filter.fault, FAULT_TYPES.map((x) => [x, faultLabel(x)]), (v) => change({ fault: v as SirenFilter['fault'] }))),
    h('label', {}, t('sirens.capability'), select('capability', filter.capability, CAPABILITIES.map((x) => [x, label('capability', x)]), (v) => change({ capability: v as SirenFilter['capability'] }))),
    h('a', { class: 'btn', href: '#/sirens' }, t('sirens.reset')),
    count,
  );
  const headCells = COLUMNS.map(([label, key]) =>
    key ? h('span', { role: 'columnheader' }, h('button', { type: 'button', class: 'sort', onclick: () => change(filter.sort === key ? { desc: !filter.desc } : { sort: key, desc: false }) }, t(label))) : h('span', { role: 'columnheader' }, t(label)),
  );
  const drawHead = () =>
    COLUMNS.forEach(([, key], i) => setAttr(headCells[i], 'aria-sort', key === filter.sort ? (filter.desc ? 'descending' : 'ascending') : 'none'));
  host.replaceChildren(
    h('section', { class: 'panel sirens' }, bar, h('div', { class: 'siren-table', role: 'table', 'aria-label': t('sirens.title') }, h('div', { class: 'siren-row siren-head', role: 'row' }, ...headCells), list.element, none)),
  );

  function draw(): void {
    const items = applyFilter(store.sirens.values(), filter);
    setText(count, t('sirens.count', { n: items.length, total: store.sirens.size }));
    none.hidden = items.length > 0 || store.sirens.size === 0;
    list.setItems(items);
  }
  drawHead();
  draw();
  const unsubscribe = store.subscribe((c) => {
    if (c.all) fill(districts, filter.district, districtOptions());
    if (c.all || c.sirens.size) draw();
  });
  const timer = setInterval(draw, 15_000);
  return () => {
    unsubscribe();
    clearInterval(timer);
    clearTimeout(debounce);
    list.destroy();
  };
}
