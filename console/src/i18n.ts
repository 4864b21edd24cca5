import { en, type MessageKey } from './messages-en.js';
import { zh } from './messages-zh.js';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };

const DICTS: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };
const STORAGE_KEY = 'sirenwatch.lang';

/** The control room's time zone, written into the page by the service (CONSOLE_TIME_ZONE). */
export const TIME_ZONE = document.querySelector<HTMLMetaElement>('meta[name=sirenwatch-time-zone]')?.content || 'Asia/Shanghai';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'zh-CN' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

let current: Lang = initialLang();
document.documentElement.lang = current;
const listeners = new Set<() => void>();

export const lang = (): Lang => current;

/** Switches the language (remembered in this browser) and re-renders whoever listens. */
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  formats = makeFormats(next);
  for (const l of listeners) l();
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A label in the current language; `{name}` slots take the params (numbers formatted for the language). */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return DICTS[current][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return typeof v === 'number' ? fmtNumber(v) : (v ?? '');
  });
}

/** The label for a value the service reports (a mode, an event type…), or the value itself when it is new to the console. */
export function label(prefix: string, value: string): string {
  return DICTS[current][`${prefix}.${value}` as MessageKey] ?? value;
}

function makeFormats(l: Lang) {
  return {
    int: new Intl.NumberFormat(l, { maximumFractionDigits: 0 }),
    dec: new Intl.NumberFormat(l, { maximumFractionDigits: 1 }),
    pct: new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 }),
    dateTime: new Intl.DateTimeFormat(l, { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    time: new Intl.DateTimeFormat(l, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    short: new Intl.DateTimeFormat(l, { timeZone: TIME_ZONE, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    relative: new Intl.RelativeTimeFormat(l, { numeric: 'auto', style: 'short' }),
  };
}
let formats = makeFormats(current);

export const fmtNumber = (n: number, decimals = false): string => (decimals ? formats.dec : formats.int).format(n);
export const fmtPercent = (fraction: number): string => formats.pct.format(fraction);

/** A point in time in the control room's zone: full, time of day only, or short (month-day hour:minute). */
export function fmtDate(iso: string | number | null, style: 'dateTime' | 'time' | 'short' = 'dateTime'): string {
  if (iso === null) return t('value.none');
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  return Number.isNaN(ms) ? t('value.none') : formats[style].format(ms);
}

/** "3 min ago" in the current language. */
export function fmtAgo(iso: string | null, now = Date.now()): string {
  if (iso === null) return t('value.none');
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return formats.relative.format(s, 'second');
  if (abs < 3600) return formats.relative.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return formats.relative.format(Math.round(s / 3600), 'hour');
  return formats.relative.format(Math.round(s / 86_400), 'day');
}

const zoneParts = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** How far the control room's clock is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(ms: number): number {
  const p = Object.fromEntries(zoneParts.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** A wall-clock time in the control room's zone, as a datetime-local input gives it ("2026-09-18T10:00"), as an instant. */
export function parseZonedTime(local: string): Date | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let ms = wall - zoneOffsetMs(wall);
  ms = wall - zoneOffsetMs(ms);
  return new Date(ms);
}
