import { readAlert } from './alert-feed.js';
import { ApiError, api, post } from './api.js';
import { canSound, soundsAsExercise, type Alert } from './alert-types.js';
import { drillStateBadge } from './badges.js';
import { confirmDialog } from './confirm-dialog.js';
import { coalesce, h } from './dom.js';
import { drillResults } from './drill-results.js';
import { PATTERNS, type Drill } from './drill-types.js';
import { label, t } from './i18n.js';
import { patternLabel } from './pattern-picker.js';
import { can } from './session.js';
import { store } from './store.js';
import { toast } from './toast.js';

/** The service's default proposal (ALERT_DEFAULT_PATTERN); the operator may choose another. */
const PROPOSED_PATTERN = 'cn.pre-alert';

const exerciseText = (a: Alert) => (soundsAsExercise(a) ? t('activate.asExercise', { status: label('alertStatus', a.status) }) : t('activate.asReal'));

/** The confirmation: how many sirens will sound, which pattern, and whether as an exercise. */
async function activate(a: Alert): Promise<void> {
  const pattern = h('select', { name: 'pattern' }, ...PATTERNS.map((p) => h('option', { value: p, selected: p === PROPOSED_PATTERN }, patternLabel(p))));
  const what = h('p', { class: 'strong' });
  const describe = () => (what.textContent = t('activate.what', { n: a.coverage.ready, pattern: patternLabel(pattern.value) }));
  pattern.addEventListener('change', describe);
  describe();
  const notReady = a.coverage.notReady.length;
  const body: Node[] = [h('label', { class: 'field' }, h('span', {}, t('activate.pattern')), pattern), what];
  if (notReady) body.push(h('p', {}, t('activate.notReady', { n: notReady, covered: a.coverage.sirens })));
  body.push(h('p', { class: soundsAsExercise(a) ? 'exercise-note' : 'real-note', 'data-testid': 'activation-kind' }, soundsAsExercise(a) ? '◇ ' : '● ', exerciseText(a)));
  if (!(await confirmDialog(t('activate.title', { event: a.event ?? a.identifier }), body, t('activate.confirm', { n: a.coverage.ready })))) return;
  try {
    await post<Alert>(`/api/alerts/${encodeURIComponent(a.id)}/activate`, { pattern: pattern.value });
    store.applyAlert(await readAlert(a.id));
    toast(t('done.activated'));
  } catch (e) {
    toast(t('error.action', { message: e instanceof ApiError ? e.message : String(e) }), 'error');
  }
}

/** The activate button for operators, or why this alert cannot sound; nothing for a viewer. */
export function activateControl(a: Alert): HTMLElement | null {
  if (!canSound(a)) return h('p', { class: 'muted' }, a.state === 'active' ? t('activate.never', { status: label('alertStatus', a.status) }) : t('activate.inactive'));
  if (!can('operator')) return null;
  if (a.activation?.state === 'running') return null;
  return h('button', { type: 'button', class: 'btn danger big', 'data-testid': 'activate', onclick: () => void activate(a) }, '♪ ', t(a.activation ? 'activate.again' : 'activate.button'));
}

/**
 * The activation's outcome as it arrives: sounded and failed (a panel), then every covered siren's
 * verdict (a table wide enough for the reasons).
 */
export function alertOutcome(): { summary: HTMLElement; results: HTMLElement; update(a: Alert): void; destroy(): void } {
  const body = h('div', { class: 'outcome-summary', 'data-testid': 'outcome' });
  const summary = h('section', { class: 'panel', hidden: true }, h('h2', {}, t('outcome.title')), body);
  const results = drillResults();
  results.element.hidden = true;
  let activationId: string | null = null;
  let request = 0;
  const read = coalesce(async () => {
    const mine = ++request;
    const id = activationId;
    const d = id ? await api<Drill>(`/api/drills/${encodeURIComponent(id)}`).catch(() => null) : null;
    if (d && mine === request) results.update(d.results);
  }, 1_000);
  const unsubscribe = store.subscribe((c) => {
    if (activationId && (c.all || c.drills.has(activationId))) read.soon();
  });
  return {
    summary,
    results: results.element,
    update(a) {
      const act = a.activation;
      summary.hidden = results.element.hidden = !act;
      if (!act) return;
      if (act.id !== activationId) results.update([]);
      activationId = act.id;
      body.dataset.state = act.state;
      body.replaceChildren(
        h('p', {}, drillStateBadge(act.state), ' ', h('span', { class: `badge ${act.exercise ? 'ast-Exercise' : 'ast-Actual'}` }, t(act.exercise ? 'outcome.exercise' : 'outcome.real')), ' ', patternLabel(act.pattern)),
        h('p', { class: 'outcome-counts' }, h('span', { class: 'badge v-pass', 'data-testid': 'sounded' }, '✓ ', t('outcome.sounded', { n: act.sounded })), ' ', h('span', { class: 'badge v-fail', 'data-testid': 'failed' }, '✖ ', t('outcome.failed', { n: act.failed }))),
        h('a', { href: `#/drills/${encodeURIComponent(act.id)}` }, t('outcome.details')),
      );
      read.soon();
    },
    destroy() {
      unsubscribe();
      read.cancel();
      results.destroy();
    },
  };
}
