import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Subject } from 'rxjs';
import { iso } from '../common/time.js';
import { deriveHealth, HEALTHS, type FaultType, type Health } from '../faults/fault-types.js';
import { FaultService } from '../faults/fault.service.js';
import type { FaultEntity } from '../faults/fault.entity.js';
import type { IncidentEntity } from '../faults/incident.entity.js';
import { IncidentService } from '../faults/incident.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import type { LiveSiren } from '../sirens/live-siren.js';
import type { SirenEntity } from '../sirens/siren.entity.js';
import { doubled } from '../common/float-array.js';
import type { ListItemBytes } from './list-body.js';

export type SirenListItem = ReturnType<FleetView['item']>;
export type StreamEvent =
  | { event: 'siren'; data: SirenListItem }
  | { event: 'fault'; data: FaultEntity }
  | { event: 'incident'; data: IncidentEntity }
  | { event: 'summary'; data: Summary };

export interface Summary {
  total: number;
  byHealth: Record<Health, number>;
  byDistrict: { districtCode: string; districtName: string; total: number; byHealth: Record<Health, number> }[];
  activeFaults: number;
  unackedFaults: number;
  openIncidents: number;
  activeAlerts: number;
  runningDrills: number;
}

const TICK_MS = 100;
const EMPTY = Buffer.alloc(0);
/**
 * Time per tick for serialising list items ahead (a tenth of a core at most, and only while some are
 * cold): after a start, an import or a change across the fleet, 100 000 items are ready within seconds.
 */
const WARM_BUDGET_MS = 10;
const SUMMARY_EVERY_MS = 1_000;
/** What makes a list item worth an event (API.md: any field but lastSeenAt). */
const changeKey = (i: SirenListItem) =>
  `${i.name}|${i.districtCode}|${i.lat}|${i.lon}|${i.health}|${i.online}|${i.mode}|${i.batteryPct}|${i.mains}|${i.activeFaults.join(',')}|${i.capabilities.join(',')}`;
const zeroCounts = () => Object.fromEntries(HEALTHS.map((h) => [h, 0])) as Record<Health, number>;

type Live = Readonly<LiveSiren> | undefined;
interface ListFilter {
  district?: string;
  health?: Health;
  capability?: string;
}
/** What a list item shows of the live state, lastSeenAt aside: a heartbeat that changes none of them keeps the cached item. */
const SHOWN: readonly ((live: Live) => unknown)[] = [
  (l) => l?.online ?? null,
  (l) => l?.status?.mode ?? null,
  (l) => l?.status?.batteryPct ?? null,
  (l) => l?.status?.mains ?? null,
  (l) => l?.capabilities ?? null,
];
/**
 * A registered siren's place in the list: its entity, its live state (the same object for the siren's
 * life, once heard), and its cached item (list-body.ts) with the SHOWN values it was made from. One object
 * per siren spares a list call of 100 000 sirens the lookups and pointer hops that cost more than its
 * copying (memory latency: `--cpu-prof` of bench:scale).
 */
interface ListEntry {
  siren: SirenEntity;
  live: Live;
  /** The item's JSON up to lastSeenAt; null until serialised, and again once anything but lastSeenAt changed. */
  head: Buffer | null;
  shown: readonly unknown[];
  /** Its place in `seenAt`. */
  slot: number;
}

/**
 * The operators' picture: each siren's list item with its health (registry + live state + faults),
 * the summary, and the coalesced change stream — at most one `siren` event per siren per 100 ms,
 * carrying its latest state, so a flood of changes costs each console a few writes a second.
 */
@Injectable()
export class FleetView implements OnModuleInit, OnModuleDestroy {
  private dirtySirens = new Set<string>();
  private dirtyFaults = new Map<string, FaultEntity>();
  private dirtyIncidents = new Map<string, IncidentEntity>();
  /** The last item sent per siren, without lastSeenAt, to tell a real change from a heartbeat. */
  private readonly lastSent = new Map<string, string>();
  /** Each registered siren's entry, with its list item as bytes until something but lastSeenAt changes. */
  private readonly entries = new Map<string, ListEntry>();
  /**
   * Each entry's lastSeenAt by slot (NaN: never heard), kept from the state's change events. The list reads
   * the times here: reading them from 100 000 live objects, each time a number of its own on the heap, cost
   * more than writing them (memory latency, `--cpu-prof` of bench:scale).
   */
  private seenAt = new Float64Array(1024);
  /** Sirens whose item is not cached: the tick serialises them ahead, so a list call finds them ready. */
  private readonly cold = new Set<string>();
  /** The entries in list order (by id); sorted again after the registry changes. */
  private order: ListEntry[] | null = null;
  /** When the registry last changed: the tick sorts the ids ahead once an import has settled. */
  private registryChangedAt = 0;
  private summaryDirty = true;
  private lastSummaryAt = 0;
  private timer: NodeJS.Timeout | null = null;
  readonly events$ = new Subject<StreamEvent[]>();
  /** Counts that later modules own (alerts, drills) and the summary shows. */
  private readonly counters: Partial<Record<'activeAlerts' | 'runningDrills', () => number>> = {};

  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(IncidentService) private readonly incidents: IncidentService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.state.changed$.subscribe((id) => {
      this.dirtySirens.add(id);
      const e = this.entries.get(id);
      if (!e) return;
      const live = this.noteSeen(e);
      // A heartbeat (only lastSeenAt moved) keeps the cached item.
      if (e.head !== null && !madeFrom(e, live)) this.uncache(id);
    });
    // The tick may have cached items from the stored state before the journal replay moved it.
    this.state.replayed$.subscribe((id) => {
      const e = this.entries.get(id);
      if (e) this.noteSeen(e);
      this.uncache(id);
    });
    this.registry.changed$.subscribe((s) => {
      this.enter(s);
      this.sirenChanged(s.id);
      this.order = null;
      this.registryChangedAt = performance.now();
    });
    this.faults.changes$.subscribe(({ fault: f }) => {
      this.dirtyFaults.set(f.id, f);
      this.sirenChanged(f.sirenId);
      this.summaryDirty = true;
    });
    this.incidents.changes$.subscribe((i) => {
      this.dirtyIncidents.set(i.id, i);
      this.summaryDirty = true;
    });
    this.metrics.onScrapeSirens(() => this.cachedSummary().byHealth);
    for (const s of this.registry.all()) {
      this.enter(s);
      this.cold.add(s.id);
    }
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private readonly demand: (() => boolean)[] = [];

  private sirenChanged(id: string): void {
    this.dirtySirens.add(id);
    this.uncache(id);
  }

  private uncache(id: string): void {
    const e = this.entries.get(id);
    if (e) e.head = null;
    this.cold.add(id);
  }

  /** The registry has this siren (new, or changed: the entity object may be a new one). */
  private enter(siren: SirenEntity): void {
    const e = this.entries.get(siren.id);
    if (e) {
      e.siren = siren;
      return;
    }
    const created: ListEntry = { siren, live: this.state.get(siren.id), head: null, shown: [], slot: this.entries.size };
    this.entries.set(siren.id, created);
    if (created.slot === this.seenAt.length) this.seenAt = doubled(this.seenAt);
    this.noteSeen(created);
  }

  /** Copies the entry's lastSeenAt from its live state into `seenAt`; returns the live state. */
  private noteSeen(e: ListEntry): Live {
    const live = this.liveOf(e);
    this.seenAt[e.slot] = live?.lastSeenAt ?? NaN;
    return live;
  }

  /** The siren's live state: looked up until it is first heard, then held. */
  private liveOf(e: ListEntry): Live {
    return (e.live ??= this.state.get(e.siren.id));
  }

  /** Fills a slice of the item cache (a cold cache made the first list of 100 000 sirens take a second). */
  private warm(): void {
    const until = performance.now() + WARM_BUDGET_MS;
    // Sorting 100 000 ids takes tens of ms: once per import, after it, not in the first list call.
    if (this.order === null && until - this.registryChangedAt > 1_000) this.listOrder();
    let n = 0;
    // The clock is read once per 64 items: an item takes a few µs.
    const spent = () => ++n % 64 === 0 && performance.now() >= until;
    for (const id of this.cold) {
      this.cold.delete(id);
      const e = this.entries.get(id);
      if (e && e.head === null) this.cache(e, this.liveOf(e));
      if (spent()) return;
    }
  }

  /** A consumer of `siren` events says when it needs them (a console connected, an alert active). */
  wantSirenEvents(when: () => boolean): void {
    this.demand.push(when);
  }

  private sirenEventsWanted(): boolean {
    return this.demand.some((d) => d());
  }

  /** A module downstream of this one contributes a count to the summary. */
  provideCount(name: 'activeAlerts' | 'runningDrills', count: () => number): void {
    this.counters[name] = count;
    this.summaryDirty = true;
  }

  /** Marks the summary for the next tick (a contributed count changed). */
  summaryChanged(): void {
    this.summaryDirty = true;
  }

  health(siren: SirenEntity): Health {
    return this.healthOf(siren, this.state.get(siren.id));
  }

  capabilities(siren: SirenEntity): string[] {
    return capabilitiesOf(siren, this.state.get(siren.id));
  }

  private healthOf(siren: SirenEntity, live: Live): Health {
    return healthFrom(siren, live, this.faults.activeTypes(siren.id));
  }

  item(siren: SirenEntity) {
    const live = this.state.get(siren.id);
    return { ...this.shownItem(siren, live), lastSeenAt: iso(live?.lastSeenAt) };
  }

  /** A list item but its lastSeenAt (API.md's fields; lastSeenAt goes last, see list-body.ts). */
  private shownItem(siren: SirenEntity, live: Live) {
    const activeFaults = this.faults.activeTypes(siren.id);
    return {
      id: siren.id,
      name: siren.name,
      districtCode: siren.districtCode,
      districtName: siren.districtName,
      lat: siren.lat,
      lon: siren.lon,
      health: healthFrom(siren, live, activeFaults),
      online: live?.online === true,
      mode: live?.status?.mode ?? null,
      batteryPct: live?.status?.batteryPct ?? null,
      mains: live?.status?.mains ?? null,
      activeFaults,
      capabilities: capabilitiesOf(siren, live),
    };
  }

  /**
   * The siren list (API.md), sorted by id, walked as `listChunks` writes it: each item is read when its
   * bytes are written. One object is handed out for every item, refilled (listChunks copies it first).
   */
  *listItems(filter: ListFilter): Generator<ListItemBytes> {
    const item: ListItemBytes = { head: EMPTY, seenAt: NaN };
    const filtered = filter.district || filter.capability || filter.health;
    for (const e of this.listOrder()) {
      if (filtered && !this.matches(filter, e)) continue;
      item.head = e.head ?? this.cache(e, this.liveOf(e));
      item.seenAt = this.seenAt[e.slot];
      yield item;
    }
  }

  private matches(filter: ListFilter, e: ListEntry): boolean {
    const s = e.siren;
    if (filter.district && s.districtCode !== filter.district) return false;
    if (filter.capability && !capabilitiesOf(s, this.liveOf(e)).includes(filter.capability)) return false;
    return !filter.health || this.healthOf(s, this.liveOf(e)) === filter.health;
  }

  /** Every registered siren has its entry (registry.changed$ announces each one). */
  private listOrder(): ListEntry[] {
    // By UTF-16 code units, as Array.prototype.sort orders strings.
    return (this.order ??= [...this.entries.values()].sort((a, b) => (a.siren.id < b.siren.id ? -1 : a.siren.id > b.siren.id ? 1 : 0)));
  }

  /** Serialises the entry's item ahead of lastSeenAt and remembers what it shows; returns the head. */
  private cache(e: ListEntry, live: Live): Buffer {
    const json = JSON.stringify(this.shownItem(e.siren, live));
    e.shown = SHOWN.map((value) => value(live));
    return (e.head = Buffer.from(`,${json.slice(0, -1)},"lastSeenAt":`));
  }

  private lastSummary: { at: number; value: Summary } | null = null;

  /** The summary at most a second old: a Prometheus scrape must not walk the fleet every time. */
  cachedSummary(): Summary {
    const now = Date.now();
    if (!this.lastSummary || now - this.lastSummary.at > 1_000) this.lastSummary = { at: now, value: this.summary() };
    return this.lastSummary.value;
  }

  summary(): Summary {
    const byHealth = zeroCounts();
    const districts = new Map<string, Summary['byDistrict'][number]>();
    // Unsorted: the order does not matter here.
    for (const e of this.entries.values()) {
      const s = e.siren;
      const h = this.healthOf(s, this.liveOf(e));
      byHealth[h]++;
      let d = districts.get(s.districtCode);
      if (!d) districts.set(s.districtCode, (d = { districtCode: s.districtCode, districtName: s.districtName, total: 0, byHealth: zeroCounts() }));
      d.total++;
      d.byHealth[h]++;
    }
    const counts = this.faults.counts();
    return {
      total: this.registry.size,
      byHealth,
      byDistrict: [...districts.values()].sort((a, b) => (a.districtCode < b.districtCode ? -1 : 1)),
      activeFaults: counts.active,
      unackedFaults: counts.unacked,
      openIncidents: this.incidents.open().length,
      activeAlerts: this.counters.activeAlerts?.() ?? 0,
      runningDrills: this.counters.runningDrills?.() ?? 0,
    };
  }

  private tick(): void {
    const out: StreamEvent[] = [...this.dirtyFaults.values()].map((f) => ({ event: 'fault' as const, data: f }));
    this.dirtyFaults = new Map();
    for (const i of this.dirtyIncidents.values()) out.push({ event: 'incident', data: i });
    this.dirtyIncidents = new Map();
    // Nobody watches siren events now (no console, no active alert): keep nothing stale, send nothing.
    if (!this.sirenEventsWanted()) {
      this.lastSent.clear();
      this.dirtySirens.clear();
    }
    for (const id of this.dirtySirens) {
      const siren = this.registry.get(id);
      if (!siren) continue;
      const item = this.item(siren);
      const key = changeKey(item);
      if (this.lastSent.get(id) === key) continue;
      this.lastSent.set(id, key);
      out.push({ event: 'siren', data: item });
      this.summaryDirty = true;
    }
    this.dirtySirens = new Set();
    const now = Date.now();
    if (this.summaryDirty && now - this.lastSummaryAt >= SUMMARY_EVERY_MS) {
      out.push({ event: 'summary', data: this.summary() });
      this.summaryDirty = false;
      this.lastSummaryAt = now;
    }
    if (out.length) this.events$.next(out);
    // After the events: serialising ahead must not delay what the consoles see.
    this.warm();
  }
}

/** What the siren can play: the registry's setting, else what its birth announced (PROTOCOL.md's default `tone`). */
const capabilitiesOf = (siren: SirenEntity, live: Live): string[] => siren.capabilities ?? live?.capabilities ?? ['tone'];

const healthFrom = (siren: SirenEntity, live: Live, activeTypes: FaultType[]): Health =>
  deriveHealth({ maintenance: siren.maintenance, heard: live !== undefined && live.online !== null, activeTypes });

/** On the ingest path (every applied status): compares without allocating. */
function madeFrom(e: ListEntry, live: Live): boolean {
  for (let i = 0; i < SHOWN.length; i++) if (SHOWN[i](live) !== e.shown[i]) return false;
  return true;
}
