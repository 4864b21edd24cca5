import { ApiError, download, post } from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { h } from './dom.js';
import { modeText, scopeText } from './drill-format.js';
import type { Drill, DrillScope } from './drill-types.js';
import { t, type MessageKey } from './i18n.js';
import { can } from './session.js';
import { store } from './store.js';
import { toast } from './toast.js';

/** How many registered sirens a scope takes in. */
function sirensIn(scope: DrillScope): number {
  if ('sirenIds' in scope) return scope.sirenIds.length;
  if ('all' in scope) return store.sirens.size;
  const codes = new Set(scope.districtCodes);
  let n = 0;
  for (const s of store.sirens.values()) if (codes.has(s.districtCode)) n++;
  return n;
}

async function run(done: MessageKey, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
    toast(t(done));
  } catch (e) {
    toast(t('error.action', { message: e instanceof ApiError ? e.message : String(e) }), 'error');
  }
}

const path = (d: Drill, action: string) => `/api/drills/${encodeURIComponent(d.id)}/${action}`;

/** Starting sounds sirens (unless silent): the engineer confirms, told how many and what. */
async function start(d: Drill, after: () => void): Promise<void> {
  const body = [h('p', {}, t('dialog.startBody', { n: sirensIn(d.scope), scope: scopeText(d.scope) })), h('p', { class: 'strong' }, modeText(d))];
  if (d.mode === 'audible') body.push(h('p', { class: 'warn' }, '⚠ ', t('dialog.startAudible')));
  if (await confirmDialog(t('dialog.startTitle', { name: d.name }), body, t('action.startDrill'))) await run('done.started', () => post(path(d, 'start'), {}));
  after();
}

/** Aborting cancels whatever the sirens are sounding; the results so far stay. */
async function abort(d: Drill, after: () => void): Promise<void> {
  if (await confirmDialog(t('dialog.abortTitle', { name: d.name }), [h('p', {}, t('dialog.abortBody', { done: d.progress.done, total: d.progress.total }))], t('action.abortDrill'))) {
    await run('done.aborted', () => post(path(d, 'abort'), {}));
  }
  after();
}

/**
 * The buttons of a drill in its state: start or abort (engineers), the CSV and the printable report
 * (everyone), print this page. `latest` gives the drill as last read, for the dialogs' numbers.
 */
export function drillActions(d: Drill, latest: () => Drill, reload: () => void): HTMLElement {
  const button = (text: MessageKey, onclick: () => void, extra: Record<string, string> = {}) => h('button', { type: 'button', class: 'btn', onclick, ...extra }, t(text));
  const engineer = can('engineer');
  return h(
    'div',
    { class: 'drill-actions' },
    engineer && d.state === 'planned' ? button('action.startDrill', () => void start(latest(), reload), { class: 'btn primary', 'data-testid': 'start-drill' }) : null,
    engineer && d.state === 'running' ? button('action.abortDrill', () => void abort(latest(), reload), { class: 'btn danger', 'data-testid': 'abort-drill' }) : null,
    button('action.downloadCsv', () => void run('done.downloaded', () => download(path(d, 'report.csv'), `drill-${d.id}.csv`)), { 'data-testid': 'download-csv' }),
    button('action.downloadReport', () => void run('done.downloaded', () => download(path(d, 'report'), `drill-${d.id}-report.html`)), { 'data-testid': 'download-report' }),
    button('action.print', () => window.print()),
  );
}
