import type { Fault, Incident, Siren, Summary } from './types.js';
import { frameThrottle } from './dom.js';

export type Connection = 'connecting' | 'live' | 'lost';

/** What changed since listeners last heard (`all` after a full re-read). */
export interface Change {
  all: boolean;
  sirens: Set<string>;
  faults: boolean;
  incidents: boolean;
  summary: boolean;
  connection: boolean;
}

export interface Snapshot {
  summary: Summary;
  sirens: Siren[];
  faults: Fault[];
  incidents: Incident[];
}

const emptyChange = (): Change => ({ all: false, sirens: new Set(), faults: false, incidents: false, summary: false, connection: false });

/**
 * The live picture the views draw: every siren, the open faults and incidents, the summary and the
 * connection state. Changes are gathered and handed to listeners at most once per frame, so a burst
 * of a thousand updates costs one redraw.
 */
class Store {
  sirens = new Map<string, Siren>();
  faults = new Map<string, Fault>();
  incidents = new Map<string, Incident>();
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
    this.pending.all = true;
    this.schedule();
  }

  /** Forgets everything (on logout). */
  clear(): void {
    this.summary = null;
    this.sirens = new Map();
    this.faults = new Map();
    this.incidents = new Map();
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
