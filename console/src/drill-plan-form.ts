import { ApiError, post } from './api.js';
import { h } from './dom.js';
import { VOICE_STEP, type DrillPlan, type DrillScope } from './drill-types.js';
import { fmtNumber, lang, parseZonedTime, t, TIME_ZONE } from './i18n.js';
import { districtName } from './map-data.js';
import { patternPicker } from './pattern-picker.js';
import { navigate } from './router.js';
import { store } from './store.js';
import { toast } from './toast.js';

type When = 'manual' | 'at' | 'repeat';

const radio = (name: string, value: string, text: string, checked = false) =>
  h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked }), text);
const field = (text: string, control: HTMLElement, hint?: string) => h('label', { class: 'field' }, h('span', {}, text), control, hint ? h('small', { class: 'muted' }, hint) : null);

/**
 * An engineer's drill plan: name, scope (all sirens or chosen districts), silent or audible with its
 * patterns in order, timing, and when it runs — by hand, once at a time, or repeating (a schedule).
 */
export function drillPlanForm(onScheduled: () => void): { element: HTMLElement; refreshDistricts(): void } {
  const name = h('input', { name: 'name', required: true, maxlength: 200, placeholder: t('plan.namePlaceholder') });
  const districts = h('fieldset', { class: 'district-choices', disabled: true }, h('legend', { class: 'sr-only' }, t('plan.districts')));
  const patterns = patternPicker();
  const number = (n: string, value: number, min: number, max: number, step: number) => h('input', { type: 'number', name: n, value, min, max, step, required: true });
  const gapS = number('gapS', 30, 0, 3600, 1);
  const ackTimeoutS = number('ackTimeoutS', 30, 1, 600, 1);
  const timeScale = number('timeScale', 1, 0.01, 1, 0.01);
  const announcement = h('textarea', { name: 'announcement', rows: 2, maxlength: 2000, placeholder: t('plan.announcementHint') });
  const at = h('input', { type: 'datetime-local', name: 'scheduledAt', disabled: true });
  const cron = h('input', { name: 'cron', placeholder: '0 10 18 9 *', disabled: true, pattern: '\\S+( \\S+){4}' });
  const timeZone = h('input', { name: 'timeZone', value: TIME_ZONE, disabled: true });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'plan-drill' }, t('plan.submit'));
  const form = h(
    'form',
    { class: 'plan-form', 'aria-label': t('plan.title') },
    field(t('plan.name'), name),
    h('fieldset', {}, h('legend', {}, t('plan.scope')), radio('scopeKind', 'all', t('plan.scopeAll'), true), radio('scopeKind', 'districts', t('plan.scopeDistricts')), districts),
    h('fieldset', {}, h('legend', {}, t('plan.mode')), radio('mode', 'audible', t('drillMode.audible'), true), radio('mode', 'silent', t('drillMode.silent'))),
    patterns.element,
    field(t('plan.announcement'), announcement),
    h('div', { class: 'field-row' }, field(t('plan.gapS'), gapS), field(t('plan.ackTimeoutS'), ackTimeoutS), field(t('plan.timeScale'), timeScale, t('plan.timeScaleHint'))),
    h(
      'fieldset',
      {},
      h('legend', {}, t('plan.when')),
      radio('when', 'manual', t('plan.whenManual'), true),
      h('div', { class: 'row' }, radio('when', 'at', t('plan.whenAt')), at, h('small', { class: 'muted' }, TIME_ZONE)),
      h('div', { class: 'row' }, radio('when', 'repeat', t('plan.whenRepeat')), cron, timeZone),
      h('small', { class: 'muted' }, t('plan.cronHint')),
    ),
    submit,
  );
  const chosen = (n: string) => form.querySelector<HTMLInputElement>(`input[name=${n}]:checked`)?.value ?? '';

  function sync(): void {
    districts.disabled = chosen('scopeKind') !== 'districts';
    patterns.element.disabled = chosen('mode') !== 'audible';
    const when = chosen('when') as When;
    at.disabled = when !== 'at';
    at.required = when === 'at';
    cron.disabled = timeZone.disabled = when !== 'repeat';
    cron.required = when === 'repeat';
    submit.textContent = t(when === 'repeat' ? 'plan.submitSchedule' : 'plan.submit');
  }

  function refreshDistricts(): void {
    const checked = new Set([...districts.querySelectorAll<HTMLInputElement>('input:checked')].map((x) => x.value));
    districts.replaceChildren(
      districts.firstElementChild!,
      ...(store.summary?.byDistrict ?? []).map((d) =>
        h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'district', value: d.districtCode, checked: checked.has(d.districtCode) }), `${districtName(d.districtCode, d.districtName)} (${fmtNumber(d.total)})`),
      ),
    );
  }

  /** The plan as the API takes it, or null (and why, in a toast) when it is incomplete. */
  function plan(): DrillPlan | null {
    const codes = [...districts.querySelectorAll<HTMLInputElement>('input:checked')].map((x) => x.value);
    const mode = chosen('mode') === 'silent' ? 'silent' : 'audible';
    const speaks = mode === 'audible' && patterns.value().includes(VOICE_STEP);
    const missing = chosen('scopeKind') === 'districts' && !codes.length ? 'plan.needDistrict' : mode === 'audible' && !patterns.value().length ? 'plan.needPattern' : speaks && !announcement.value.trim() ? 'plan.needAnnouncement' : null;
    if (missing) {
      toast(t(missing), 'error');
      return null;
    }
    const scope: DrillScope = chosen('scopeKind') === 'districts' ? { districtCodes: codes } : { all: true };
    const when = chosen('when') as When;
    const scheduledAt = when === 'at' ? (parseZonedTime(at.value)?.toISOString() ?? null) : null;
    return { name: name.value.trim(), scope, mode, patterns: mode === 'audible' ? patterns.value() : [], gapS: gapS.valueAsNumber, ackTimeoutS: ackTimeoutS.valueAsNumber, timeScale: timeScale.valueAsNumber, scheduledAt, ...(speaks ? { voice: { language: lang(), text: announcement.value.trim() } } : {}) };
  }

  form.addEventListener('change', sync);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = plan();
    if (!body) return;
    submit.disabled = true;
    const repeat = chosen('when') === 'repeat';
    const done = repeat
      ? post('/api/drill-schedules', { plan: body, cron: cron.value.trim(), timeZone: timeZone.value.trim() }).then(() => {
          toast(t('done.scheduled'));
          onScheduled();
        })
      : post<{ id: string }>('/api/drills', body).then((r) => navigate(`/drills/${encodeURIComponent(r.id)}`));
    done
      .catch((err: unknown) => toast(t('error.action', { message: err instanceof ApiError ? err.message : String(err) }), 'error'))
      .finally(() => (submit.disabled = false));
  });
  refreshDistricts();
  sync();
  return { element: form, refreshDistricts };
}
