import { api, ApiError } from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { h } from './dom.js';
import type { DrillSchedule } from './drill-types.js';
import { fmtDate, label, t } from './i18n.js';
import { can } from './session.js';
import { toast } from './toast.js';

/** The repeating drills (cron in a time zone): next and last run; engineers can stop one. */
export function drillSchedules(): { element: HTMLElement; reload(): void } {
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, t('schedules.none'));
  const element = h(
    'section',
    { class: 'panel schedules' },
    h('h2', {}, t('schedules.title')),
    h(
      'table',
      { class: 'grid' },
      h('thead', {}, h('tr', {}, ...(['schedules.name', 'schedules.cron', 'schedules.next', 'schedules.last', 'col.actions'] as const).map((k) => h('th', { scope: 'col' }, t(k))))),
      body,
    ),
    empty,
  );

  async function stop(s: DrillSchedule): Promise<void> {
    if (!(await confirmDialog(t('schedules.stopTitle', { name: s.name }), [h('p', {}, t('schedules.stopBody'))], t('schedules.stop')))) return;
    try {
      await api(`/api/drill-schedules/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      toast(t('done.unscheduled'));
      void reload();
    } catch (e) {
      toast(t('error.action', { message: e instanceof ApiError ? e.message : String(e) }), 'error');
    }
  }

  async function reload(): Promise<void> {
    const list = await api<DrillSchedule[]>('/api/drill-schedules').catch(() => []);
    const enabled = list.filter((s) => s.enabled);
    empty.hidden = enabled.length > 0;
    body.replaceChildren(
      ...enabled.map((s) =>
        h(
          'tr',
          { 'data-testid': `schedule-${s.id}` },
          h('td', {}, s.name, h('div', { class: 'muted' }, s.plan.mode === 'audible' ? s.plan.patterns.map((p) => label('pattern', p)).join(' → ') : t('drillMode.silent'))),
          h('td', {}, h('code', {}, s.cron), h('div', { class: 'muted' }, s.timeZone)),
          h('td', {}, fmtDate(s.nextRunAt)),
          h('td', {}, s.lastDrillId ? h('a', { href: `#/drills/${encodeURIComponent(s.lastDrillId)}` }, fmtDate(s.lastRunAt)) : t('value.none')),
          h('td', { class: 'actions' }, can('engineer') ? h('button', { type: 'button', class: 'btn small', onclick: () => void stop(s) }, t('schedules.stop')) : null),
        ),
      ),
    );
  }
  void reload();
  return { element, reload: () => void reload() };
}
