import { VERDICT_ICON, verdictKind, type VerdictKind } from './badges.js';
import type { DrillResult, Verdict } from './drill-types.js';
import { t } from './i18n.js';
import { outsideClass, type Colouring, type Look, type MarkerClass } from './map-colouring.js';
import { store } from './store.js';

/** Each verdict kind borrows the look of the health it resembles (shape and colour), most important first. */
const KINDS: [VerdictKind, Look][] = [
  ['fail', 'fault'],
  ['offline', 'offline'],
  ['pending', 'unknown'],
  ['excused', 'maintenance'],
  ['pass', 'ok'],
];
const CLASSES = new Map<VerdictKind, MarkerClass>(KINDS.map(([kind, look], rank) => [kind, { key: kind, look, icon: VERDICT_ICON[kind], label: () => t(`verdictKind.${kind}`), rank }]));
const OUTSIDE = outsideClass(() => t('verdictKind.outside'));
const LEGEND_ORDER: VerdictKind[] = ['pass', 'fail', 'offline', 'excused', 'pending'];

/** A drill's map: its sirens by verdict as the results come in, the others small and muted. */
export function verdictColouring(results: DrillResult[]): Colouring {
  const verdicts = new Map<string, Verdict | null>(results.map((r) => [r.sirenId, r.verdict]));
  return {
    legend: () => t('map.legendVerdict'),
    classes: [...LEGEND_ORDER.map((k) => CLASSES.get(k)!), OUTSIDE],
    classOf: (s) => (verdicts.has(s.id) ? CLASSES.get(verdictKind(verdicts.get(s.id)!))! : OUTSIDE),
  };
}

/** Where a drill's sirens are ([lon, lat]), for the map to fit. */
export const resultPoints = (results: DrillResult[]): [number, number][] =>
  results.flatMap((r) => {
    const s = store.sirens.get(r.sirenId);
    return s ? [[s.lon, s.lat] as [number, number]] : [];
  });
