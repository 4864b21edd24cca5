import { describe, expect, it } from '@jest/globals';
import type { Repository } from 'typeorm';
import { FakeClock } from '../common/clock.js';
import { loadConfig } from '../config/load-config.js';
import type { PendingWrite } from '../database/write-behind.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { parseSirenPayload } from '../protocol/parse.js';
import type { SirenStateEntity } from './siren.entity.js';
import { SirenStateService } from './siren-state.service.js';

const clock = new FakeClock();

function status(sirenId: string, seq: number) {
  const raw = JSON.stringify({
    sirenId, bootId: 'b-1', seq, ts: new Date(clock.now()).toISOString(), mode: 'idle', mains: true, batteryV: 26.9, batteryPct: 93,
    charger: 'ok', doorOpen: false, temperatureC: 20, amplifiers: [true], speakerOk: true, rssiDbm: -70, commsPath: '4g',
  });
  const parsed = parseSirenPayload('status', raw);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.value;
}

/** The rows a pending write would insert: a fake SQLite connection that records bulkInsert's rows. */
async function rowsOf(write: PendingWrite | null): Promise<{ id: string; lastSeq: number }[]> {
  if (!write) return [];
  const rows: { id: string; lastSeq: number }[] = [];
  const databaseConnection = {
    prepare: () => ({ run: ([id, state]: unknown[]) => rows.push({ id: id as string, lastSeq: (JSON.parse(state as string) as { seq: { lastSeq: number } }).seq.lastSeq }) }),
    transaction: (fn: (...args: unknown[]) => void) => fn,
  };
  await write({ connection: { options: { type: 'better-sqlite3' }, driver: { databaseConnection } } } as never);
  return rows;
}

function setup() {
  const state = new SirenStateService({} as Repository<SirenStateEntity>, clock, loadConfig({}), new MetricsService());
  const apply = (id: string, seq: number) => state.apply(id, status(id, seq), clock.now(), false);
  return { state, apply };
}

describe('SirenStateService snapshot rounds', () => {
  it('writes a round in slices, each siren as it is when its slice is taken', async () => {
    const { state, apply } = setup();
    for (const id of ['A', 'B', 'C', 'D', 'E']) apply(id, 0);
    state.beginSnapshotRound();
    expect(state.snapshotRoundLeft).toBe(5);
    const first = await rowsOf(state.snapshotSlice(2));
    expect(first).toHaveLength(2);
    expect(state.snapshotRoundLeft).toBe(3);
    // A siren of the round that changes before its slice is written with its newer state.
    const pending = ['A', 'B', 'C', 'D', 'E'].filter((id) => !first.some((r) => r.id === id));
    apply(pending[0], 1);
    const rest = [...(await rowsOf(state.snapshotSlice(2))), ...(await rowsOf(state.snapshotSlice(2)))];
    expect(state.snapshotRoundLeft).toBe(0);
    expect(await rowsOf(state.snapshotSlice(2))).toEqual([]);
    expect([...first, ...rest].map((r) => r.id).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(rest.find((r) => r.id === pending[0])?.lastSeq).toBe(1);
  });

  it('keeps what changes during a round for the next one, and starts no round while one lasts', async () => {
    const { state, apply } = setup();
    apply('A', 0);
    apply('B', 0);
    state.beginSnapshotRound();
    await rowsOf(state.snapshotSlice(1));
    apply('C', 0);
    state.beginSnapshotRound(); // ignored: one siren of the round is still unwritten
    expect(state.snapshotRoundLeft).toBe(1);
    await rowsOf(state.snapshotSlice(1));
    state.beginSnapshotRound();
    expect((await rowsOf(state.snapshotSlice(10))).map((r) => r.id)).toEqual(['C']);
    state.beginSnapshotRound();
    expect(state.snapshotRoundLeft).toBe(0);
  });

  it('writes the rest of the round and every later change at once at shutdown, each siren once', async () => {
    const { state, apply } = setup();
    for (const id of ['A', 'B', 'C']) apply(id, 0);
    state.beginSnapshotRound();
    const written = await rowsOf(state.snapshotSlice(1));
    apply('B', 1);
    apply('D', 0);
    const all = await rowsOf(state.snapshotAll());
    const unwritten = ['A', 'B', 'C'].filter((id) => !written.some((r) => r.id === id));
    expect(all.map((r) => r.id).sort()).toEqual([...new Set([...unwritten, 'B', 'D'])].sort());
    expect(all.find((r) => r.id === 'B')?.lastSeq).toBe(1);
    expect(state.snapshotRoundLeft).toBe(0);
    expect(await rowsOf(state.snapshotAll())).toEqual([]);
  });
});
