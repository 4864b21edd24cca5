import { alertOutcome, activateControl } from './alert-activation.js';
import { alertOverlay } from './alert-area.js';
import { readAlert } from './alert-feed.js';
import { areaPoints, coverageColouring } from './alert-map.js';
import type { Alert } from './alert-types.js';
import { ApiError } from './api.js';
import { alertSeverityBadge, alertStatusBadge, faultLabel, healthBadge, urgencyBadge } from './badges.js';
import { h } from './dom.js';
import { fmtDate, fmtNumber, label, t } from './i18n.js';
import { mapWidget } from './map-widget.js';
import { sirenHref } from './router.js';
import { store } from './store.js';

/** Covered, ready and not ready; each siren that cannot sound with its health (and faults) as the reason. */
function readiness(a: Alert): HTMLElement {
  const { sirens, ready, notReady } = a.coverage;
  return h(
    'div',
    {},
    h('h2', {}, t('alert.readiness')),
    h(
      'p',
      { class: 'coverage', 'data-testid': 'coverage', 'data-sirens': sirens, 'data-ready': ready },
      h('span', { class: 'big-number' }, fmtNumber(sirens)),
      ` ${t('alert.covered')} · `,
      h('span', { class: 'badge h-ok' }, '✓ ', t('alert.ready', { n: ready })),
      ' ',
      h('span', { class: `badge ${notReady.length ? 'h-fault' : 'h-unknown'}` }, '✖ ', t('alert.notReadyCount', { n: notReady.length })),
    ),
    notReady.length
      ? h(
          'ul',
          { class: 'not-ready' },
          ...notReady.map((x) => {
            const s = store.sirens.get(x.sirenId);
            const faults = s?.activeFaults.map(faultLabel).join('、');
            return h('li', { 'data-testid': `not-ready-${x.sirenId}` }, h('a', { href: sirenHref(x.sirenId) }, s?.name ?? x.sirenId), ' ', healthBadge(x.health), faults ? h('span', { class: 'muted' }, ` ${faults}`) : null);
          }),
        )
      : null,
  );
}

function info(a: Alert): HTMLElement {
  const rows: [string, string][] = [
    [t('alert.areas'), a.areas.map((x) => x.areaDesc).join('、') || t('value.none')],
    [t('alert.sender'), a.sender],
    [t('alert.sent'), fmtDate(a.sent)],
    [t('alert.received'), fmtDate(a.receivedAt)],
    [t('alert.expires'), fmtDate(a.expiresAt)],
    [t('alert.certainty'), a.certainty ? label('certainty', a.certainty) : t('value.none')],
    [t('alert.msgType'), label('msgType', a.msgType)],
    [t('alert.identifier'), a.identifier],
    [t('alert.languages'), a.languages.join(', ')],
  ];
  return h(
    'div',
    {},
    h('h2', {}, t('alert.info')),
    a.description ? h('p', { class: 'alert-text' }, a.description) : null,
    a.instruction ? h('p', { class: 'alert-text instruction' }, h('strong', {}, t('alert.instruction')), ' ', a.instruction) : null,
    h('dl', { class: 'facts-list' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
}

/** One alert: what it says (in the console's language), its area and covered sirens on the map, readiness, activation and outcome; live. */
export function alertDetail(id: string): { element: HTMLElement; destroy(): void } {
  const head = h('div', { class: 'alert-head' });
  const action = h('div', { class: 'alert-action' });
  const ready = h('section', { class: 'panel readiness' });
  const about = h('section', { class: 'panel alert-info' });
  const spoken = h('section', { class: 'panel', 'data-testid': 'alert-spoken', hidden: true });
  const outcome = alertOutcome();
  const area = alertOverlay([]);
  const map = mapWidget({ colouring: coverageColouring(area), overlay: area, focused: true });
  const element = h(
    'div',
    { class: 'alert-detail' },
    head,
    h('div', { class: 'alert-grid' }, h('div', { class: 'alert-side' }, action, ready, outcome.summary, spoken, about), h('section', { class: 'panel alert-map', 'aria-label': t('alert.map') }, map.element)),
    outcome.results,
  );

  let shownAreas = '';
  let shownAction = '';
  function draw(a: Alert): void {
    head.replaceChildren(
      h('h1', {}, a.event ?? a.identifier),
      h('div', { class: 'badges' }, alertSeverityBadge(a.severity), urgencyBadge(a.urgency), alertStatusBadge(a.status), h('span', { class: `badge state-${a.state}`, 'data-testid': 'alert-state', 'data-state': a.state }, label('alertState', a.state))),
      a.headline ? h('p', { class: 'headline' }, a.headline) : '',
    );
    // The button is rebuilt only when what it offers changes: a click must not land on a button being replaced.
    const actionKey = JSON.stringify([a.state, a.status, a.activation?.state, a.coverage]);
    if (actionKey !== shownAction) {
      shownAction = actionKey;
      action.replaceChildren(activateControl(a) ?? '');
    }
    ready.replaceChildren(readiness(a));
    about.replaceChildren(info(a));
    spoken.hidden = !a.spokenMessages?.length;
    spoken.replaceChildren(
      h('h2', {}, t('voice.title')),
      ...(a.spokenMessages ?? []).map((m) => h('p', {}, h('a', { href: `#/drills/${encodeURIComponent(m.id)}` }, t(`drillState.${m.state}`)), ' ', t('voice.outcome', { pass: m.sounded, fail: m.failed }))),
    );
    outcome.update(a);
    const areasKey = JSON.stringify(a.areas);
    if (areasKey !== shownAreas) {
      shownAreas = areasKey;
      const overlay = alertOverlay(a.areas);
      map.setOverlay(overlay);
      map.setColouring(coverageColouring(overlay));
      map.setFocus(areaPoints(overlay));
    }
  }

  const unsubscribe = store.subscribe((c) => {
    const a = store.alerts.get(id);
    if (a && (c.all || c.alerts)) draw(a);
  });
  store.markAlertUnseen(id, false);
  const known = store.alerts.get(id);
  if (known) draw(known);
  readAlert(id)
    .then((a) => store.applyAlert(a))
    .catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) head.replaceChildren(h('h1', {}, t('alert.notFound', { id })));
    });
  return {
    element,
    destroy() {
      unsubscribe();
      outcome.destroy();
      map.destroy();
    },
  };
}
