import { HEALTH_ICON, healthLabel } from './badges.js';
import { t } from './i18n.js';
import { HEALTH_RANK, HEALTHS, type Health, type Siren } from './types.js';

/** How a marker looks: a health's shape and colour, or the small muted dot of a siren outside the subject. */
export type Look = Health | 'outside';
export const LOOKS: readonly Look[] = [...HEALTHS, 'outside'];

/** One kind of marker on the map, as the legend lists it (symbol and words beside the colour). */
export interface MarkerClass {
  key: string;
  look: Look;
  icon: string;
  label(): string;
  /** Lower is more important: drawn on top, and chosen first where markers overlap. */
  rank: number;
}

/** What the map colours sirens by: the classes in legend order, and each siren's class (null: not drawn). */
export interface Colouring {
  legend(): string;
  classes: readonly MarkerClass[];
  classOf(s: Siren): MarkerClass | null;
}

export function healthClass(hl: Health): MarkerClass {
  return { key: hl, look: hl, icon: HEALTH_ICON[hl], label: () => healthLabel(hl), rank: HEALTH_RANK[hl] };
}

/** Sirens that are not what the map is about (not in the drill, not covered by the alert): small and muted. */
export function outsideClass(label: () => string): MarkerClass {
  return { key: 'outside', look: 'outside', icon: '·', label, rank: 99 };
}

const HEALTH_CLASSES = new Map(HEALTHS.map((hl) => [hl, healthClass(hl)]));

/** The map panel's colouring: every siren by its health. */
export const healthColouring: Colouring = {
  legend: () => t('map.legend'),
  classes: [...HEALTH_CLASSES.values()],
  classOf: (s) => HEALTH_CLASSES.get(s.health)!,
};
