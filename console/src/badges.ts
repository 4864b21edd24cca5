import { h } from './dom.js';
import { t } from './i18n.js';
import type { FaultType, Health, Severity } from './types.js';

/** A symbol beside every colour, so that status never depends on colour alone. */
export const HEALTH_ICON: Record<Health, string> = { ok: '✓', degraded: '▲', fault: '✖', offline: '⊘', maintenance: '⚒', unknown: '?' };
export const SEVERITY_ICON: Record<Severity, string> = { critical: '‼', major: '!', minor: '·' };

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
