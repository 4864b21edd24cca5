import { alarmList } from './alarm-list.js';
import { districtTable } from './district-table.js';
import { h } from './dom.js';
import { incidentBanner } from './incident-banner.js';
import { store } from './store.js';
import { summaryTiles } from './summary-tiles.js';

/** Shelves expire and times age without any event: the alarm list is re-read this often anyway. */
const REFRESH_MS = 10_000;

/** Overview: open incidents, summary tiles, the alarm list and the districts, all live. */
export function mountOverview(host: HTMLElement): () => void {
  const incidents = incidentBanner();
  const tiles = summaryTiles();
  const alarms = alarmList();
  const districts = districtTable();
  host.replaceChildren(h('div', { class: 'overview' }, incidents.element, tiles.element, h('div', { class: 'overview-body' }, alarms.element, districts.element)));

  const drawSummary = () => {
    tiles.update(store.summary);
    districts.update(store.summary);
  };
  drawSummary();
  incidents.update([...store.incidents.values()]);
  alarms.update();
  const unsubscribe = store.subscribe((c) => {
    if (c.all || c.summary) drawSummary();
    if (c.all || c.incidents) incidents.update([...store.incidents.values()]);
    if (c.all || c.faults || c.sirens.size) alarms.update();
  });
  const timer = setInterval(() => alarms.update(), REFRESH_MS);
  return () => {
    unsubscribe();
    clearInterval(timer);
    alarms.destroy();
  };
}
