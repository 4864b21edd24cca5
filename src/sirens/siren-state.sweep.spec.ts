import { describe, expect, it } from '@jest/globals';
import type { Repository } from 'typeorm';
import { FakeClock } from '../common/clock.js';
import { loadConfig } from '../config/load-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { parseSirenPayload } from '../protocol/parse.js';
import type { SirenChannel } from '../protocol/topics.js';
import type { SirenStateEntity } from './siren.entity.js';
import { SirenStateService } from './siren-state.service.js';

const S = 1000;

function setup(env: Record<string, string> = {}) {
  const clock = new FakeClock();
  const state = new SirenStateService({} as Repository<SirenStateEntity>, clock, loadConfig({ OFFLINE_MULTIPLE: '3', ...env }), new MetricsService());
  const changed: string[] = [];
  state.changed$.subscribe((id) => changed.push(id));
  const send = (id: string, channel: SirenChannel, payload: object, retained = false) => {
    const parsed = parseSirenPayload(channel, JSON.stringify(payload));
    if (!parsed.ok) throw new Error(parsed.detail);
    state.apply(id, parsed.value, clock.now(), retained);
  };
  const birth = (id: string, bdSeq = 1) => send(id, 'availability', { online: true, bdSeq, bootId: 'b-1', intervalS: 10, capabilities: ['tone'] });
  const will = (id: string, retained = false) => send(id, 'availability', { online: false, bdSeq: 1 }, retained);
  /** Sweeps and returns the ids it announced. */
  const sweep = () => {
    changed.length = 0;
    state.sweep();
    return [...changed];
  };
  return { clock, state, birth, will, sweep };
}

describe('SirenStateService offline sweep', () => {
  it('takes offline exactly the sirens past 3 × interval of silence, across more sirens than its first array holds', () => {
    const { clock, state, birth, sweep } = setup();
    state.setConnected(true);
    clock.advance(S);
    // 1 500 sirens (the schedule starts with room for 1 024), each heard a second after the one before.
    const ids = Array.from({ length: 1500 }, (_, i) => `SW-${String(i).padStart(4, '0')}`);
    for (const id of ids) {
      birth(id);
      clock.advance(S);
    }
    // Now: SW-i was heard 1 500 − i s ago; silence of 30 s or more (i ≤ 1 470) is offline.
    expect(sweep().sort()).toEqual(ids.slice(0, 1471));
    expect(state.get(ids[0])?.offlineSince).toBe(state.get(ids[0])!.lastSeenAt! + 30 * S);
    expect(state.get(ids[1471])?.online).toBe(true);
    // Already offline: not again. Back (a reconnect): its deadline moves.
    birth(ids[0], 2);
    expect(sweep()).toEqual([]);
    clock.advance(30 * S);
    expect(sweep().sort()).toEqual([ids[0], ...ids.slice(1471)].sort());
  });

  it('counts silence from the reconnect when the centre was away', () => {
    const { clock, state, birth, sweep } = setup();
    state.setConnected(true);
    birth('SW-1');
    clock.advance(10 * S);
    state.setConnected(false);
    clock.advance(60 * S);
    expect(sweep()).toEqual([]); // not judged while blind
    state.setConnected(true);
    clock.advance(29 * S);
    expect(sweep()).toEqual([]);
    clock.advance(S);
    expect(sweep()).toEqual(['SW-1']);
  });

  it('gives a will that waited for the reconnect its time at the next sweep, then applies it one interval later', () => {
    const { clock, state, birth, will, sweep } = setup();
    state.setConnected(true);
    birth('SW-1');
    will('SW-1', true);
    // Announced when it gets its time, so that it is saved.
    expect(sweep()).toEqual(['SW-1']);
    expect(state.get('SW-1')?.online).toBe(true);
    clock.advance(10 * S - 1);
    expect(sweep()).toEqual([]);
    clock.advance(1);
    expect(sweep()).toEqual(['SW-1']);
    expect(state.get('SW-1')?.online).toBe(false);
  });

  it('holds a will again when the centre loses the broker during its hold: one interval after the reconnect, even if the hold was longer', () => {
    const { clock, state, birth, will, sweep } = setup({ WILL_HOLD_S: '30' });
    state.setConnected(true);
    birth('SW-1');
    will('SW-1'); // held until +30 s
    clock.advance(S);
    state.setConnected(false);
    clock.advance(S);
    state.setConnected(true);
    expect(sweep()).toEqual(['SW-1']);
    expect(state.get('SW-1')?.online).toBe(true);
    clock.advance(10 * S);
    expect(sweep()).toEqual(['SW-1']);
    expect(state.get('SW-1')?.online).toBe(false);
  });
});
