import { soundAlarm } from './alarm-sound.js';
import type { Alert } from './alert-types.js';
import { api } from './api.js';
import { lang, onLangChange } from './i18n.js';
import { store } from './store.js';

/** The alerts' texts in the console's language (the service picks the matching CAP info block). */
const langQuery = () => `lang=${encodeURIComponent(lang())}`;
export const readActiveAlerts = (): Promise<Alert[]> => api<Alert[]>(`/api/alerts?active=true&${langQuery()}`);
export const readAlert = (id: string): Promise<Alert> => api<Alert>(`/api/alerts/${encodeURIComponent(id)}?${langQuery()}`);

/** The stream's copy is in the alert's first language: good enough when that is the console's, or the only one. */
function speaksConsoleLanguage(a: Alert): boolean {
  if (a.languages.length <= 1) return true;
  const have = (a.language ?? '').toLowerCase();
  const want = lang().toLowerCase();
  return have === want || have.split('-')[0] === want.split('-')[0];
}

/** Per alert, the latest update taken: a slower re-read must not overwrite a newer state. */
const latest = new Map<string, number>();
let updates = 0;

/**
 * An `alert` event: a new active alert flashes and sounds the chime (unless muted); the alert is
 * re-read in the console's language when the stream's copy is in another.
 */
export function receiveAlert(a: Alert, live: boolean): void {
  if (live && a.state === 'active' && !store.alerts.has(a.id) && !store.unseenAlerts.has(a.id)) {
    store.markAlertUnseen(a.id, true);
    soundAlarm();
  }
  if (a.state !== 'active') store.markAlertUnseen(a.id, false);
  const mine = ++updates;
  latest.set(a.id, mine);
  if (speaksConsoleLanguage(a)) return store.applyAlert(a);
  readAlert(a.id)
    .then((localized) => {
      if (latest.get(a.id) === mine) store.applyAlert(localized);
    })
    .catch(() => store.applyAlert(a));
}

/**
 * The summary counts the active alerts and often comes sooner than the alert's own event: a count
 * other than the console's means an alert arrived or ended, so the active alerts are read now.
 */
export function reconcileAlertCount(active: number): void {
  let known = 0;
  for (const a of store.alerts.values()) if (a.state === 'active') known++;
  if (known === active) return;
  void readActiveAlerts()
    .then((alerts) => {
      const active = new Set(alerts.map((a) => a.id));
      for (const a of alerts) if (!store.alerts.has(a.id)) receiveAlert(a, true);
      for (const a of store.alerts.values()) {
        if (a.state === 'active' && !active.has(a.id)) readAlert(a.id).then((ended) => receiveAlert(ended, true), () => undefined);
      }
    })
    .catch(() => undefined);
}

/** Re-reads the active alerts when the operator switches language. Returns a function that stops it. */
export function followLanguage(): () => void {
  return onLangChange(() => {
    const mine = ++updates;
    void readActiveAlerts()
      .then((alerts) => {
        for (const a of alerts) if ((latest.get(a.id) ?? 0) < mine) store.applyAlert(a);
      })
      .catch(() => undefined);
  });
}
