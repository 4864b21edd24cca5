import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Subject } from 'rxjs';
import type { FaultChange, FaultService } from '../faults/fault.service.js';
import type { FaultType } from '../faults/fault-types.js';
import type { IncidentService } from '../faults/incident.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { RegistryService } from '../sirens/registry.service.js';
import type { SirenStateService } from '../sirens/siren-state.service.js';
import type { SirenEntity } from '../sirens/siren.entity.js';
import { FleetView } from './fleet-view.service.js';
import { listChunks, type ListItemBytes } from './list-body.js';

const siren = (id: string, districtCode: string) => ({ id, name: id, districtCode, districtName: `D ${districtCode}`, lat: 28, lon: 115, maintenance: false }) as SirenEntity;

type FakeLive = { online: boolean; status: { mains: boolean } | null; lastSeenAt: number };
/** As SirenStateService keeps them: one object per siren for its whole life, changed in place. */
class LiveStates extends Map<string, FakeLive> {
  override set(id: string, value: FakeLive): this {
    const current = super.get(id);
    if (current) Object.assign(current, value);
    else super.set(id, { ...value });
    return this;
  }
}

/** `heard`: live states the service held before the view started (loaded from the database). */
function setup(more: SirenEntity[] = [], heard: Record<string, FakeLive> = {}) {
  const sirens = new Map([siren('B', 'x'), siren('A', 'y'), siren('C', 'x'), ...more].map((s) => [s.id, s]));
  const registryChanged$ = new Subject<SirenEntity>();
  const registry = { all: () => sirens.values(), get: (id: string) => sirens.get(id), size: sirens.size, changed$: registryChanged$ } as unknown as RegistryService;
  const live = new LiveStates(Object.entries(heard));
  const stateChanged$ = new Subject<string>();
  const stateReplayed$ = new Subject<string>();
  const state = { get: (id: string) => live.get(id), changed$: stateChanged$, replayed$: stateReplayed$ } as unknown as SirenStateService;
  const active = new Map<string, FaultType[]>();
  const faultChanges$ = new Subject<FaultChange>();
  const faults = { activeTypes: (id: string) => active.get(id) ?? [], changes$: faultChanges$, counts: () => ({ active: 0, unacked: 0 }) } as unknown as FaultService;
  const incidents = { changes$: new Subject(), open: () => [] } as unknown as IncidentService;
  const view = new FleetView(registry, state, faults, incidents, new MetricsService());
  view.onModuleInit();
  return { view, sirens, registryChanged$, live, stateChanged$, stateReplayed$, active, faultChanges$ };
}

let destroy: (() => void) | null = null;
afterEach(() => destroy?.());

const parse = (list: Iterable<ListItemBytes>) => JSON.parse(Buffer.concat([...listChunks(list)]).toString('utf8')) as { id: string; health: string; mains: boolean | null; districtCode: string; lastSeenAt: string | null }[];

/** Each item's cached bytes (the generator refills one object, so they are read as it goes). */
const heads = (items: Iterable<ListItemBytes>) => Array.from(items, (i) => i.head);

describe('FleetView.listItems', () => {
  it('lists by id, filtered by district and health, each item as API.md has it', () => {
    const t = setup();
    destroy = () => t.view.onModuleDestroy();
    t.live.set('A', { online: true, status: { mains: true }, lastSeenAt: 0 });
    t.stateChanged$.next('A');
    expect(parse(t.view.listItems({})).map((i) => i.id)).toEqual(['A', 'B', 'C']);
    expect(parse(t.view.listItems({ district: 'x' })).map((i) => i.id)).toEqual(['B', 'C']);
    expect(parse(t.view.listItems({ health: 'unknown' })).map((i) => i.id)).toEqual(['B', 'C']);
    expect(parse(t.view.listItems({}))[0]).toEqual(t.view.item(t.sirens.get('A')!));
  });

  it('keeps a cached item through heartbeats, each with its own lastSeenAt, and rebuilds it on a real change', () => {
    const t = setup();
    destroy = () => t.view.onModuleDestroy();
    t.live.set('A', { online: true, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T08:00:00Z') });
    t.stateChanged$.next('A');
    const first = heads(t.view.listItems({}));
    t.live.set('A', { online: true, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T08:00:30Z') });
    t.stateChanged$.next('A');
    expect(heads(t.view.listItems({}))[0]).toBe(first[0]);
    expect(parse(t.view.listItems({}))[0]).toEqual({ ...t.view.item(t.sirens.get('A')!), lastSeenAt: '2026-11-30T08:00:30.000Z' });
    t.live.set('A', { online: false, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T08:00:30Z') });
    t.stateChanged$.next('A');
    expect(heads(t.view.listItems({}))[0]).not.toBe(first[0]);
    expect(parse(t.view.listItems({}))[0]).toMatchObject({ id: 'A', online: false });
  });

  it('lists the lastSeenAt of a state held before it started, and follows each heartbeat', () => {
    const t = setup([], { C: { online: true, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T07:00:00Z') } });
    destroy = () => t.view.onModuleDestroy();
    const seen = () => parse(t.view.listItems({})).map((i) => [i.id, i.lastSeenAt]);
    expect(seen()).toEqual([['A', null], ['B', null], ['C', '2026-11-30T07:00:00.000Z']]);
    t.live.set('C', { online: true, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T07:00:30Z') });
    t.stateChanged$.next('C');
    expect(seen()).toEqual([['A', null], ['B', null], ['C', '2026-11-30T07:00:30.000Z']]);
  });

  it('drops a cached item when a journal replay at start-up moved its state, and sends no event for it', () => {
    const t = setup([], { A: { online: true, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T08:00:00Z') } });
    destroy = () => t.view.onModuleDestroy();
    const before = heads(t.view.listItems({}));
    const events: unknown[] = [];
    t.view.wantSirenEvents(() => true);
    t.view.events$.subscribe((e) => events.push(...e));
    t.live.set('A', { online: false, status: { mains: false }, lastSeenAt: Date.parse('2026-11-30T08:01:00Z') });
    t.stateReplayed$.next('A');
    expect(heads(t.view.listItems({}))[0]).not.toBe(before[0]);
    expect(parse(t.view.listItems({}))[0]).toMatchObject({ id: 'A', online: false, mains: false, lastSeenAt: '2026-11-30T08:01:00.000Z' });
    (t.view as unknown as { tick: () => void }).tick();
    expect(events.filter((e) => (e as { event: string }).event === 'siren')).toEqual([]);
  });

  it('serialises items ahead of a list call in the tick, and again after a real change', () => {
    jest.useFakeTimers();
    try {
      const t = setup();
      destroy = () => t.view.onModuleDestroy();
      t.live.set('A', { online: true, status: { mains: true }, lastSeenAt: 0 });
      t.stateChanged$.next('A');
      // What serialising an item starts from (private: the cache's own path).
      const item = jest.spyOn(t.view as unknown as { shownItem: (s: SirenEntity) => object }, 'shownItem');
      jest.advanceTimersByTime(100);
      expect(item).toHaveBeenCalledTimes(3);
      item.mockClear();
      expect(parse(t.view.listItems({})).map((i) => i.id)).toEqual(['A', 'B', 'C']);
      expect(item).not.toHaveBeenCalled();
      t.active.set('B', ['SPEAKER_FAULT']);
      t.faultChanges$.next({ fault: { id: 'f', sirenId: 'B' } as FaultChange['fault'], raised: true });
      jest.advanceTimersByTime(100);
      expect(item.mock.calls.map(([s]) => s.id)).toEqual(['B']);
      // A heartbeat keeps the item; the list call writes its new lastSeenAt.
      item.mockClear();
      t.live.set('A', { online: true, status: { mains: true }, lastSeenAt: Date.parse('2026-11-30T09:00:00Z') });
      t.stateChanged$.next('A');
      t.live.set('C', { online: true, status: { mains: true }, lastSeenAt: 0 });
      t.stateChanged$.next('C');
      jest.advanceTimersByTime(100);
      expect(item.mock.calls.map(([s]) => s.id)).toEqual(['C']);
      expect(parse(t.view.listItems({}))[0]).toMatchObject({ id: 'A', lastSeenAt: '2026-11-30T09:00:00.000Z' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('serialises ahead within a time budget per tick, so a fleet-wide change never holds the event loop long', () => {
    jest.useFakeTimers();
    // Each reading of the clock is 1 ms later: the 10 ms budget is spent after ten checks of 64 items.
    let clock = 0;
    const now = jest.spyOn(performance, 'now').mockImplementation(() => clock++);
    try {
      const t = setup(Array.from({ length: 2_000 }, (_, i) => siren(`M-${i}`, 'm')));
      destroy = () => t.view.onModuleDestroy();
      const item = jest.spyOn(t.view as unknown as { shownItem: (s: SirenEntity) => object }, 'shownItem');
      jest.advanceTimersByTime(100);
      expect(item).toHaveBeenCalledTimes(640);
      jest.advanceTimersByTime(300);
      expect(item).toHaveBeenCalledTimes(2_003);
    } finally {
      now.mockRestore();
      jest.useRealTimers();
    }
  });

  it('answers with what changed since the last call: live state, faults, registry', () => {
    const t = setup();
    destroy = () => t.view.onModuleDestroy();
    t.live.set('A', { online: true, status: { mains: true }, lastSeenAt: 0 });
    t.stateChanged$.next('A');
    t.view.listItems({});
    t.live.set('A', { online: true, status: { mains: false }, lastSeenAt: 1 });
    t.stateChanged$.next('A');
    expect(parse(t.view.listItems({}))[0].mains).toBe(false);
    t.active.set('A', ['SPEAKER_FAULT']);
    t.faultChanges$.next({ fault: { id: 'f', sirenId: 'A' } as FaultChange['fault'], raised: true });
    expect(parse(t.view.listItems({ health: 'fault' })).map((i) => i.id)).toEqual(['A']);
    const moved = siren('C', 'z');
    t.sirens.set('C', moved);
    const added = siren('AA', 'z');
    t.sirens.set('AA', added);
    t.registryChanged$.next(moved);
    t.registryChanged$.next(added);
    expect(parse(t.view.listItems({ district: 'z' })).map((i) => i.id)).toEqual(['AA', 'C']);
  });
});
