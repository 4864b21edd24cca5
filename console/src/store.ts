import type { Alert } from './alert-types.js';
import type { DrillEvent } from './drill-types.js';
import { frameThrottle } from './dom.js';
import type { Fault, Incident, Siren, Summary } from './types.js';

export type Connection = 'connecting' | 'live' | 'lost';

/** What changed since listeners last heard (`all` after a full re-read). */
export interface Change {
  all: boolean;
  sirens: Set<string>;
  faults: boolean;
  incidents: boolean;
  summary: boolean;
  connection: boolean;
  alerts: boolean;
  /** Drills whose progress the stream reported. */
  drills: Set<string>;
}

export interface Snapshot {
  summary: Summary;
  sirens: Siren[];
  faults: Fault[];
  incidents: Incident[];
  alerts: Alert[];
}

const emptyChange = (): Change => ({ all: false, sirens: new Set(), faults: false, incidents: false, summary: false, connection: false, alerts: false, drills: new Set() });

/**
 * The live picture the views draw: every siren, the open faults and incidents, the alerts, the
 * progress of drills, the summary and the connection state. Changes are gathered and handed to
 * listeners at most once per frame, so a burst of a thousand updates costs one redraw.
 */
class Store {
  sirens = new Map<string, Siren>();
  faults = new Map<string, Fault>();
  incidents = new Map<string, Incident>();
  /** Active alerts, and any other the console has read, in the console's language. */
  alerts = new Map<string, Alert>();
  /** Alerts that arrived while the console was open and that nobody has opened here yet (they flash). */
  unseenAlerts = new Set<string>();
  /** The last progress the stream reported per drill. */
  drills = new Map<string, DrillEvent>();
  summary: Summary | null = null;
  connection: Connection = 'connecting';
  /** When the connection was lost (ms), while it is. */
  lostAt: number | null = null;
  private pending = emptyChange();
  private readonly listeners = new Set<(c: Change) => void>();
  private readonly schedule = frameThrottle(() => this.flush());

  subscribe(listener: (c: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reset(s: Snapshot): void {
    this.summary = s.summary;
    this.sirens = new Map(s.sirens.map((x) => [x.id, x]));
    this.faults = new Map(s.faults.filter((f) => f.state !== 'closed').map((f) => [f.id, f]));
    this.incidents = new Map(s.incidents.filter((i) => i.closedAt === null).map((i) => [i.id, i]));
    this.alerts = new Map(s.alerts.map((a) => [a.id, a]));
    this.pending.all = true;
    this.schedule();
  }

  /** Forgets everything (on logout). */
  clear(): void {
    this.summary = null;
    this.sirens = new Map();
    this.faults = new Map();
    this.incidents = new Map();
    this.alerts = new Map();
    this.unseenAlerts = new Set();
    this.drills = new Map();
    this.pending.all = true;
    this.schedule();
  }

  applySiren(s: Siren): void {
    this.sirens.set(s.id, s);
    this.pending.sirens.add(s.id);
    this.schedule();
  }

  applyFault(f: Fault): void {
    if (f.state === 'closed') this.faults.delete(f.id);
    else this.faults.set(f.id, f);
    this.pending.faults = true;
    this.schedule();
  }

  applyIncident(i: Incident): void {
    if (i.closedAt !== null) this.incidents.delete(i.id);
    else this.incidents.set(i.id, i);
    this.pending.incidents = true;
    this.schedule();
  }

  applyAlert(a: Alert): void {
    this.alerts.set(a.id, a);
    this.pending.alerts = true;
    this.schedule();
  }

  /** A new alert flashes until someone opens it (or it is no longer active). */
  markAlertUnseen(id: string, unseen: boolean): void {
    if (unseen === this.unseenAlerts.has(id)) return;
    if (unseen) this.unseenAlerts.add(id);
    else this.unseenAlerts.delete(id);
    this.pending.alerts = true;
    this.schedule();
  }

  applyDrill(d: DrillEvent): void {
    this.drills.set(d.id, d);
    this.pending.drills.add(d.id);
    this.schedule();
  }

  applySummary(s: Summary): void {
    this.summary = s;
    this.pending.summary = true;
    this.schedule();
  }

  setConnection(c: Connection): void {
    if (c === this.connection) return;
    if (c === 'lost') this.lostAt = Date.now();
    if (c === 'live') this.lostAt = null;
    this.connection = c;
    this.pending.connection = true;
    this.schedule();
  }

  private flush(): void {
    const change = this.pending;
    this.pending = emptyChange();
    for (const l of this.listeners) l(change);
  }
}

export const store = new Store();
