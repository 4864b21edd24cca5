import type { DrillListItem, DrillScope } from './drill-types.js';
import { label, t } from './i18n.js';
import { districtName } from './map-data.js';
import { store } from './store.js';

/** What a drill covers, in words: all sirens, its districts by name, or how many sirens. */
export function scopeText(scope: DrillScope): string {
  if ('all' in scope) return t('scope.all');
  if ('districtCodes' in scope) {
    const names = new Map((store.summary?.byDistrict ?? []).map((d) => [d.districtCode, d.districtName]));
    return scope.districtCodes.map((c) => districtName(c, names.get(c) ?? null)).join('、');
  }
  return t('scope.sirens', { n: scope.sirenIds.length });
}

/** Silent test, or the audible patterns in order. */
export function modeText(d: Pick<DrillListItem, 'mode' | 'patterns'>): string {
  return d.mode === 'silent' ? t('drillMode.silent') : `${t('drillMode.audible')}: ${d.patterns.map((p) => label('pattern', p)).join(' → ')}`;
}
