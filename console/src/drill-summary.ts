import { verdictBadge } from './badges.js';
import { h } from './dom.js';
import { VERDICTS, type Drill } from './drill-types.js';
import { fmtNumber, fmtPercent, label, t } from './i18n.js';
import { districtName } from './map-data.js';
import { sirenHref } from './router.js';

/** How far the drill is: sirens judged of all, and which pattern is sounding. */
export function drillProgress(d: Drill): HTMLElement {
  const { done, total } = d.progress;
  const step = d.state === 'running' && d.step !== null && d.patterns.length ? t('drill.step', { n: d.step, of: d.patterns.length, pattern: label('pattern', d.patterns[d.step - 1] ?? '') }) : null;
  return h(
    'div',
    { class: 'drill-progress', 'data-testid': 'drill-progress', 'data-done': done, 'data-total': total },
    h('progress', { value: done, max: Math.max(total, 1), 'aria-label': t('drill.progress') }),
    h('span', {}, t('drill.progressLong', { done, total })),
    step ? h('span', { class: 'muted' }, ` · ${step}`) : null,
  );
}

/** Passed, failed, excused, and each verdict that occurred, with its count. */
export function verdictCounts(d: Drill): HTMLElement {
  const s = d.summary;
  const judged = s.pass + s.fail;
  return h(
    'div',
    { class: 'verdict-counts' },
    h(
      'p',
      { class: 'totals' },
      h('strong', {}, t('drill.passRate'), ' ', judged ? fmtPercent(s.pass / judged) : t('value.none')),
      ` · ${t('drill.totals', { pass: s.pass, fail: s.fail, excused: s.excused })}`,
    ),
    h('ul', { class: 'verdict-list' }, ...VERDICTS.filter((v) => (s.byVerdict[v] ?? 0) > 0).map((v) => h('li', { 'data-verdict': v }, verdictBadge(v), ' ', fmtNumber(s.byVerdict[v]!)))),
  );
}

/** 鸣响率 per district: passed of those judged (the excused left out). */
export function districtRates(d: Drill): HTMLElement {
  return h(
    'table',
    { class: 'grid district-rates' },
    h('thead', {}, h('tr', {}, ...(['districts.district', 'districts.total', 'drill.pass', 'drill.fail', 'drill.excused', 'drill.passRate'] as const).map((k, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t(k))))),
    h(
      'tbody',
      {},
      ...d.summary.byDistrict.map((x) =>
        h(
          'tr',
          { 'data-district': x.districtCode },
          h('th', { scope: 'row' }, districtName(x.districtCode, x.districtName)),
          ...[x.total, x.pass, x.fail, x.excused].map((n, i) => h('td', { class: `num${i === 2 && n > 0 ? ' h-text-fault' : ''}` }, fmtNumber(n))),
          h('td', { class: 'num strong' }, x.passRate === null ? t('value.none') : fmtPercent(x.passRate)),
        ),
      ),
    ),
  );
}

/** Sirens named in the comparison; the report (download) lists them all. */
const COMPARE_SHOWN = 12;

/** Against the previous drill of the same scope and mode: sirens newly failing, and those fixed. */
export function comparison(d: Drill): HTMLElement {
  const c = d.comparedWith;
  if (!c) return h('p', { class: 'muted' }, t('compare.none'));
  const ids = (list: string[]) => {
    if (!list.length) return [t('value.none')];
    const shown = list.slice(0, COMPARE_SHOWN).flatMap((id, i) => [i ? ', ' : '', h('a', { href: sirenHref(id) }, id)]);
    return list.length > COMPARE_SHOWN ? [...shown, ` ${t('compare.more', { n: list.length - COMPARE_SHOWN })}`] : shown;
  };
  return h(
    'div',
    { class: 'comparison', 'data-testid': 'comparison' },
    h('p', {}, t('compare.with'), ' ', h('a', { href: `#/drills/${encodeURIComponent(c.id)}` }, c.name)),
    h('p', {}, h('span', { class: 'badge v-fail' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✖'), t('compare.newlyFailing', { n: c.newlyFailing.length })), ' ', ...ids(c.newlyFailing)),
    h('p', {}, h('span', { class: 'badge v-pass' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓'), t('compare.fixed', { n: c.fixed.length })), ' ', ...ids(c.fixed)),
  );
}
