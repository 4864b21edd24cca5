import { alertDetail } from './alert-detail.js';
import { alertList } from './alert-list.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { store } from './store.js';

/** The alerts panel: the active alerts beside the one chosen (its area, coverage, readiness, activation). */
export function mountAlerts(host: HTMLElement, params: Record<string, string>): () => void {
  const selected = params.id ?? null;
  const list = alertList();
  const detail = selected ? alertDetail(selected) : null;
  host.replaceChildren(h('div', { class: 'alerts-page' }, list.element, detail?.element ?? h('section', { class: 'panel alert-placeholder' }, h('p', { class: 'empty' }, t('alerts.choose')))));
  list.update(selected);
  const unsubscribe = store.subscribe((c) => {
    if (c.all || c.alerts) list.update(selected);
  });
  return () => {
    unsubscribe();
    detail?.destroy();
  };
}
