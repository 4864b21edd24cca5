import type { AlertSeverity, AlertStatus, AlertUrgency } from './alert-types.js';
import { h } from './dom.js';
import type { DrillState, Verdict } from './drill-types.js';
import { label, t } from './i18n.js';
import type { FaultType, Health, Severity } from './types.js';

/** A symbol beside every colour, so that status never depends on colour alone. */
export const HEALTH_ICON: Record<Health, string> = { ok: '✓', degraded: '▲', fault: '✖', offline: '⊘', maintenance: '⚒', unknown: '?' };
const SEVERITY_ICON: Record<Severity, string> = { critical: '‼', major: '!', minor: '·' };

export const healthLabel = (hl: Health): string => t(`health.${hl}`);
export const faultLabel = (type: FaultType): string => t(`fault.${type}`);

export function healthBadge(hl: Health): HTMLElement {
  return h('span', { class: `badge h-${hl}` }, h('span', { class: 'icon', 'aria-hidden': 'true' }, HEALTH_ICON[hl]), healthLabel(hl));
}

/** Updates a badge made by healthBadge in place (hot path: table rows, markers' cards). */
export function setHealthBadge(el: HTMLElement, hl: Health): void {
  const cls = `badge h-${hl}`;
  if (el.className === cls && el.lastChild?.textContent === healthLabel(hl)) return;
  el.className = cls;
  el.replaceChildren(h('span', { class: 'icon', 'aria-hidden': 'true' }, HEALTH_ICON[hl]), healthLabel(hl));
}

export function severityBadge(sv: Severity): HTMLElement {
  return h('span', { class: `badge s-${sv}` }, h('span', { class: 'icon', 'aria-hidden': 'true' }, SEVERITY_ICON[sv]), t(`severity.${sv}`));
}

function badge(cls: string, icon: string, text: string): HTMLElement {
  return h('span', { class: `badge ${cls}` }, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), text);
}

/** What a verdict comes to on the map and in badges: passed, failed, offline at start, excused, or not judged yet. */
export type VerdictKind = 'pass' | 'fail' | 'offline' | 'excused' | 'pending';
export const VERDICT_ICON: Record<VerdictKind, string> = { pass: '✓', fail: '✖', offline: '⊘', excused: '⚒', pending: '…' };

export function verdictKind(v: Verdict | null): VerdictKind {
  if (v === null) return 'pending';
  if (v === 'PASS') return 'pass';
  if (v === 'EXCUSED') return 'excused';
  return v === 'FAIL_OFFLINE' ? 'offline' : 'fail';
}

export const verdictLabel = (v: Verdict | null): string => (v === null ? t('verdict.pending') : t(`verdict.${v}`));

export function verdictBadge(v: Verdict | null): HTMLElement {
  const kind = verdictKind(v);
  return badge(`v-${kind}`, VERDICT_ICON[kind], verdictLabel(v));
}

const DRILL_STATE_ICON: Record<DrillState, string> = { planned: '◷', running: '▶', completed: '✓', aborted: '■' };
export const drillStateBadge = (st: DrillState): HTMLElement => badge(`ds-${st}`, DRILL_STATE_ICON[st], t(`drillState.${st}`));

const ALERT_SEVERITY_ICON: Record<AlertSeverity, string> = { Extreme: '‼', Severe: '!', Moderate: '▲', Minor: '·', Unknown: '?' };
export const alertSeverityBadge = (sv: AlertSeverity | null): HTMLElement => badge(`as-${sv ?? 'Unknown'}`, ALERT_SEVERITY_ICON[sv ?? 'Unknown'], t(`alertSeverity.${sv ?? 'Unknown'}`));

const URGENCY_ICON: Record<AlertUrgency, string> = { Immediate: '»', Expected: '›', Future: '…', Past: '✓', Unknown: '?' };
export const urgencyBadge = (u: AlertUrgency | null): HTMLElement => badge(`au-${u ?? 'Unknown'}`, URGENCY_ICON[u ?? 'Unknown'], t(`urgency.${u ?? 'Unknown'}`));

const STATUS_ICON: Record<AlertStatus, string> = { Actual: '●', Exercise: '◇', System: '⚙', Test: '◇', Draft: '✎' };
export const alertStatusBadge = (st: AlertStatus): HTMLElement => badge(`ast-${st}`, STATUS_ICON[st] ?? '?', label('alertStatus', st));
