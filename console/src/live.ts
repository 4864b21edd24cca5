import { soundAlarm } from './alarm-sound.js';
import { followLanguage, readActiveAlerts, receiveAlert, reconcileAlertCount } from './alert-feed.js';
import type { Alert } from './alert-types.js';
import { api } from './api.js';
import type { DrillEvent } from './drill-types.js';
import { currentSession, endSession } from './session.js';
import { store } from './store.js';
import { isAnnunciated, type Fault, type Incident, type Siren, type Summary } from './types.js';

type StreamEvent = ['siren', Siren] | ['fault', Fault] | ['incident', Incident] | ['summary', Summary] | ['alert', Alert] | ['drill', DrillEvent];
const EVENTS = ['siren', 'fault', 'incident', 'summary', 'alert', 'drill'] as const;
/** How often the service is asked whether it is still there: a silent dead link must not look live. */
const PING_MS = 5_000;
const PING_TIMEOUT_MS = 4_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000];

/** A new critical fault on the alarm list or a new incident: the operator must hear it. */
function isNewAlarm(event: StreamEvent): boolean {
  if (event[0] === 'incident') return event[1].closedAt === null && !store.incidents.has(event[1].id);
  if (event[0] !== 'fault') return false;
  const f = event[1];
  const before = store.faults.get(f.id);
  const fresh = !before || before.raisedAt !== f.raisedAt || before.state !== 'active_unacked';
  return fresh && f.severity === 'critical' && f.state === 'active_unacked' && isAnnunciated(f);
}

function apply(event: StreamEvent, live: boolean): void {
  if (live && isNewAlarm(event)) soundAlarm();
  if (event[0] === 'siren') store.applySiren(event[1]);
  else if (event[0] === 'fault') store.applyFault(event[1]);
  else if (event[0] === 'incident') store.applyIncident(event[1]);
  else if (event[0] === 'alert') receiveAlert(event[1], live);
  else if (event[0] === 'drill') store.applyDrill(event[1]);
  else {
    store.applySummary(event[1]);
    if (live) reconcileAlertCount(event[1].activeAlerts);
  }
}

/**
 * The live connection: the SSE stream, and on every (re)connect a fresh read of everything so the
 * screen catches up with what happened meanwhile. Events arriving during that read are held and
 * applied after it (each carries a full, newer state). Returns a function that stops it all.
 */
export function startLive(): () => void {
  let source: EventSource | null = null;
  let held: StreamEvent[] | null = null;
  let generation = 0;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const lost = () => {
    held = null;
    store.setConnection(store.summary ? 'lost' : 'connecting');
  };
  const reconnect = () => {
    if (stopped) return;
    source?.close();
    source = null;
    lost();
    clearTimeout(retry);
    retry = setTimeout(connect, BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]);
  };

  async function catchUp(): Promise<void> {
    const mine = ++generation;
    held = [];
    try {
      const [summary, sirens, faults, incidents, alerts] = await Promise.all([
        api<Summary>('/api/summary'),
        api<Siren[]>('/api/sirens'),
        api<Fault[]>('/api/faults?state=open'),
        api<Incident[]>('/api/incidents?state=open'),
        readActiveAlerts(),
      ]);
      if (mine !== generation || stopped || held === null) return;
      store.reset({ summary, sirens, faults, incidents, alerts });
      for (const e of held) apply(e, false);
      held = null;
      failures = 0;
      store.setConnection('live');
    } catch {
      if (mine === generation && !stopped) reconnect();
    }
  }

  function connect(): void {
    if (stopped) return;
    const session = currentSession();
    if (!session) return endSession('expired');
    const es = new EventSource(`/api/stream?token=${encodeURIComponent(session.token)}`);
    source = es;
    es.onopen = () => void catchUp();
    es.onerror = () => {
      generation++;
      lost();
      // CONNECTING: the browser retries by itself. CLOSED (an HTTP error): we retry, unless the
      // service no longer takes the token (then api() ends the session and the login page shows).
      if (es.readyState === EventSource.CLOSED) void api('/api/auth/me').catch(() => undefined).finally(reconnect);
    };
    for (const name of EVENTS) {
      es.addEventListener(name, (m) => {
        const event = [name, JSON.parse((m as MessageEvent<string>).data)] as StreamEvent;
        if (held) held.push(event);
        else if (store.connection === 'live') apply(event, true);
      });
    }
  }

  const ping = setInterval(() => {
    if (!source || source.readyState !== EventSource.OPEN) return;
    api('/api/auth/me', { signal: AbortSignal.timeout(PING_TIMEOUT_MS) }).catch(() => {
      if (currentSession()) reconnect();
    });
  }, PING_MS);

  // The operating system says the network is gone: no need to wait for the next ping.
  const offline = () => reconnect();
  window.addEventListener('offline', offline);
  const stopLanguage = followLanguage();
  store.setConnection('connecting');
  connect();
  return () => {
    stopped = true;
    stopLanguage();
    window.removeEventListener('offline', offline);
    clearInterval(ping);
    clearTimeout(retry);
    source?.close();
  };
}
