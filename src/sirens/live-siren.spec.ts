import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Ack, Birth, SirenEvent, Status, Will } from '../protocol/payloads.js';
import { applyBirth, applyEventOrAck, applyStatus, applyWill, holdWillsForReconnect, newLiveSiren, sweepDueAt, sweepLiveness } from './live-siren.js';
import type { ApplyContext, LiveSiren } from './live-siren.js';

const T0 = Date.parse('2026-09-18T02:00:00.000Z');
const S = 1000;
const HOLD = 2 * S;
const CONNECTED_SINCE = T0 - 3600 * S;

const birth = (o: Partial<Birth> = {}): Birth => ({ online: true, bdSeq: 7, bootId: 'b1', intervalS: 30, capabilities: ['tone'], ...o });
const will = (bdSeq = 7): Will => ({ online: false, bdSeq });
const ctx = (now: number, o: Partial<ApplyContext> = {}): ApplyContext => ({ now, retained: false, connected: true, willHoldMs: HOLD, ...o });
const iso = (ms: number) => new Date(ms).toISOString();
const header = (seq: number, now: number, bootId = 'b1') => ({ sirenId: 'NC-DH-0001', bootId, seq, ts: iso(now) });
const status = (seq: number, now: number, o: Partial<Status> = {}): Status => ({
  ...header(seq, now), mode: 'idle', mains: true, batteryPct: 93, charger: 'ok', doorOpen: false, temperatureC: 31.5, amplifiers: [true, true], speakerOk: true, ...o,
});
const door = (type: 'door.opened' | 'door.closed', seq: number, now: number): SirenEvent => ({ ...header(seq, now), type });
/** Every sweep in this file also checks sweepDueAt's promise: before it, the sweep changes nothing. */
const sweep = (s: LiveSiren, now: number, connectedSince = CONNECTED_SINCE, offlineMultiple = 3) => {
  const due = sweepDueAt(s, connectedSince, offlineMultiple);
  const before = structuredClone(s);
  const changed = sweepLiveness(s, { now, connectedSince, offlineMultiple });
  if (now < due) {
    expect(changed).toBe(false);
    expect(s).toEqual(before);
  }
  return changed;
};

let s: LiveSiren;
beforeEach(() => void (s = newLiveSiren(30)));

describe('births', () => {
  it('starts unknown: never heard, no boot, default interval, never offline by silence', () => {
    expect(s).toMatchObject({ online: null, lastSeenAt: null, offlineSince: null, bdSeq: null, intervalS: 30, capabilities: ['tone'], status: null, clockSkewS: null, pendingWill: null });
    expect(s.seq.bootId).toBeNull();
    expect(sweep(s, T0 + 86_400 * S)).toBe(false);
    expect(s.online).toBeNull();
  });

  it('applies the first birth and takes its session data', () => {
    expect(applyBirth(s, birth({ intervalS: 10, model: 'HDS-1000', fw: '2.3.1', capabilities: ['tone', 'voice'] }), ctx(T0))).toBe('applied');
    expect(s).toMatchObject({ online: true, lastSeenAt: T0, bdSeq: 7, intervalS: 10, model: 'HDS-1000', fw: '2.3.1', capabilities: ['tone', 'voice'] });
    expect(s.seq.bootId).toBe('b1');
    applyBirth(s, birth({ bdSeq: 8 }), ctx(T0 + S)); // a later birth without model and fw clears them
    expect(s).toMatchObject({ model: null, fw: null, bdSeq: 8 });
  });

  it('takes a higher bdSeq in the same boot as a reconnect, keeping the sequence state', () => {
    applyBirth(s, birth(), ctx(T0));
    applyStatus(s, status(41, T0 + S), T0 + S);
    expect(applyBirth(s, birth({ bdSeq: 8 }), ctx(T0 + 10 * S))).toBe('applied');
    expect(s).toMatchObject({ bdSeq: 8, lastSeenAt: T0 + 10 * S });
    expect(s.seq).toMatchObject({ bootId: 'b1', lastSeq: 41 });
    expect(applyStatus(s, status(41, T0 + 11 * S), T0 + 11 * S).verdict).toBe('duplicate');
  });

  it('calls an equal bdSeq in the same boot a duplicate and a lower one late, changing nothing', () => {
    applyBirth(s, birth({ bdSeq: 7, intervalS: 30 }), ctx(T0));
    expect(applyBirth(s, birth({ bdSeq: 7, intervalS: 5 }), ctx(T0 + S))).toBe('duplicate');
    expect(applyBirth(s, birth({ bdSeq: 6, intervalS: 5 }), ctx(T0 + 2 * S))).toBe('late');
    expect(s).toMatchObject({ bdSeq: 7, intervalS: 30, lastSeenAt: T0 });
  });

  it('takes a new bootId as a reboot: new sequence state, whatever its bdSeq', () => {
    applyBirth(s, birth(), ctx(T0));
    applyStatus(s, status(500, T0), T0);
    expect(applyBirth(s, birth({ bootId: 'b2', bdSeq: 0 }), ctx(T0 + S))).toBe('applied');
    expect(s.bdSeq).toBe(0);
    expect(s.seq).toMatchObject({ bootId: 'b2', lastSeq: -1, pastBoots: ['b1'] });
    expect(applyStatus(s, status(0, T0 + 2 * S, { bootId: 'b2' }), T0 + 2 * S).verdict).toBe('applied');
  });

  it('calls a birth or status of an earlier boot late', () => {
    applyBirth(s, birth({ bootId: 'b1', bdSeq: 3 }), ctx(T0));
    applyBirth(s, birth({ bootId: 'b2', bdSeq: 4 }), ctx(T0 + S));
    expect(applyBirth(s, birth({ bootId: 'b1', bdSeq: 9 }), ctx(T0 + 2 * S))).toBe('late');
    expect(applyStatus(s, status(900, T0 + 2 * S), T0 + 2 * S).verdict).toBe('late');
    expect(s).toMatchObject({ bdSeq: 4, lastSeenAt: T0 + S });
    expect(s.seq.bootId).toBe('b2');
  });

  it('applies a birth of the boot that a status already announced', () => {
    applyStatus(s, status(0, T0), T0);
    expect(applyBirth(s, birth({ bdSeq: 3 }), ctx(T0 + S))).toBe('applied');
    expect(s.seq.lastSeq).toBe(0);
  });

  it('brings an offline siren back', () => {
    applyBirth(s, birth(), ctx(T0));
    sweep(s, T0 + 90 * S);
    expect(s.online).toBe(false);
    applyBirth(s, birth({ bdSeq: 8 }), ctx(T0 + 100 * S));
    expect(s).toMatchObject({ online: true, offlineSince: null, lastSeenAt: T0 + 100 * S });
  });
});

describe('wills', () => {
  beforeEach(() => {
    applyBirth(s, birth({ bdSeq: 7, intervalS: 30 }), ctx(T0));
  });

  it('ignores the will of an older connection (stale bdSeq) and takes the new connection’s', () => {
    applyBirth(s, birth({ bdSeq: 8 }), ctx(T0 + S));
    expect(applyWill(s, will(7), ctx(T0 + 2 * S))).toBe('late');
    expect(s.pendingWill).toBeNull();
    expect(sweep(s, T0 + 10 * S)).toBe(false);
    expect(s.online).toBe(true);
    expect(applyWill(s, will(8), ctx(T0 + 11 * S))).toBe('applied');
    expect(sweep(s, T0 + 11 * S + HOLD)).toBe(true);
  });

  it('ignores a will with a bdSeq never born, or before any birth', () => {
    expect(applyWill(s, will(8), ctx(T0 + S))).toBe('late');
    expect(s.pendingWill).toBeNull();
    const fresh = newLiveSiren(30);
    expect(applyWill(fresh, will(0), ctx(T0))).toBe('late');
    expect(fresh.pendingWill).toBeNull();
  });

  it('holds a live will for willHoldMs, then the siren is offline from the will’s receipt', () => {
    expect(applyWill(s, will(7), ctx(T0 + 5 * S))).toBe('applied');
    expect(s.pendingWill).toEqual({ bdSeq: 7, receivedAt: T0 + 5 * S, applyAt: T0 + 5 * S + HOLD });
    expect(s.online).toBe(true);
    expect(sweep(s, T0 + 5 * S + HOLD - 1)).toBe(false);
    expect(s.online).toBe(true);
    expect(sweep(s, T0 + 5 * S + HOLD)).toBe(true);
    expect(s).toMatchObject({ online: false, offlineSince: T0 + 5 * S, pendingWill: null });
    expect(sweep(s, T0 + 60 * S)).toBe(false);
  });

  it('calls a repeated will a duplicate, held or applied', () => {
    applyWill(s, will(7), ctx(T0 + 5 * S));
    expect(applyWill(s, will(7), ctx(T0 + 6 * S))).toBe('duplicate');
    expect(s.pendingWill?.receivedAt).toBe(T0 + 5 * S);
    sweep(s, T0 + 10 * S);
    expect(applyWill(s, will(7), ctx(T0 + 11 * S))).toBe('duplicate');
    expect(s.pendingWill).toBeNull();
  });

  it('holds a retained will until one interval after the centre (re)connected', () => {
    const reconnected = T0 + 100 * S;
    expect(applyWill(s, will(7), ctx(reconnected + 50, { retained: true }))).toBe('applied');
    expect(s.pendingWill?.applyAt).toBeNull();
    expect(sweep(s, reconnected + 30 * S - 1, reconnected)).toBe(false);
    expect(s.pendingWill?.applyAt).toBe(reconnected + 30 * S);
    expect(s.online).toBe(true);
    expect(sweep(s, reconnected + 30 * S, reconnected)).toBe(true);
    expect(s).toMatchObject({ online: false, offlineSince: reconnected + 50 });
    // a will received while the centre counts itself disconnected waits the same way
    const t = newLiveSiren(30);
    applyBirth(t, birth(), ctx(T0));
    applyWill(t, will(7), ctx(T0 + S, { connected: false }));
    expect(t.pendingWill?.applyAt).toBeNull();
  });

  it('uses the siren’s own interval from its birth', () => {
    applyBirth(s, birth({ bdSeq: 8, intervalS: 10 }), ctx(T0 + S));
    applyWill(s, will(8), ctx(T0 + 2 * S, { retained: true }));
    const reconnected = T0 + 2 * S;
    expect(sweep(s, reconnected + 10 * S - 1, reconnected)).toBe(false);
    expect(sweep(s, reconnected + 10 * S, reconnected)).toBe(true);
  });

  it('re-holds a will when the centre loses the broker during the hold (holdWillsForReconnect)', () => {
    applyWill(s, will(7), ctx(T0 + 5 * S));
    holdWillsForReconnect(s);
    expect(s.pendingWill).toEqual({ bdSeq: 7, receivedAt: T0 + 5 * S, applyAt: null });
    // no sweep while disconnected; the centre is back 60 s later
    const back = T0 + 65 * S;
    expect(sweep(s, back, back)).toBe(false);
    expect(sweep(s, back + 30 * S - 1, back)).toBe(false);
    expect(s.online).toBe(true);
    expect(sweep(s, back + 30 * S, back)).toBe(true);
    expect(s.offlineSince).toBe(T0 + 5 * S);
    // and leaves a siren without a pending will alone
    const t = newLiveSiren(30);
    applyBirth(t, birth(), ctx(T0));
    holdWillsForReconnect(t);
    expect(t).toMatchObject({ pendingWill: null, online: true });
  });

  it('is cancelled by a later status', () => {
    applyStatus(s, status(1, T0 + S), T0 + S);
    applyWill(s, will(7), ctx(T0 + 5 * S, { retained: true }));
    expect(applyStatus(s, status(2, T0 + 6 * S), T0 + 6 * S).verdict).toBe('applied');
    expect(s.pendingWill).toBeNull();
    expect(sweep(s, T0 + 5 * S + 30 * S, T0 + 5 * S)).toBe(false);
    expect(s.online).toBe(true);
  });

  it('is not cancelled by a duplicate status or the same birth delivered again', () => {
    applyStatus(s, status(1, T0 + S), T0 + S);
    applyWill(s, will(7), ctx(T0 + 5 * S));
    expect(applyStatus(s, status(1, T0 + S), T0 + 6 * S).verdict).toBe('duplicate');
    expect(applyBirth(s, birth({ bdSeq: 7 }), ctx(T0 + 6 * S, { retained: true }))).toBe('duplicate');
    expect(sweep(s, T0 + 5 * S + HOLD)).toBe(true);
    expect(s.online).toBe(false);
  });

  it('is cancelled by a birth with a higher bdSeq, after which the old will is stale', () => {
    applyWill(s, will(7), ctx(T0 + 5 * S, { retained: true }));
    expect(applyBirth(s, birth({ bdSeq: 8 }), ctx(T0 + 6 * S, { retained: true }))).toBe('applied');
    expect(s.pendingWill).toBeNull();
    expect(applyWill(s, will(7), ctx(T0 + 7 * S))).toBe('late');
    expect(sweep(s, T0 + 60 * S, T0 + 5 * S)).toBe(false);
    expect(s.online).toBe(true);
  });
});

describe('statuses, events and acks', () => {
  it('applies a status without a birth and marks the siren alive', () => {
    const r = applyStatus(s, status(0, T0), T0 + 250);
    expect(r).toEqual({ verdict: 'applied', newlyLost: 0 });
    expect(s).toMatchObject({ online: true, lastSeenAt: T0 + 250, statusReceivedAt: T0 + 250, offlineSince: null });
    expect(s.status?.seq).toBe(0);
  });

  it('keeps the siren clock minus receive time as clockSkewS', () => {
    applyStatus(s, status(0, T0 + 90 * S), T0);
    expect(s.clockSkewS).toBe(90);
    applyStatus(s, status(1, T0 - 30 * S), T0 + 500);
    expect(s.clockSkewS).toBe(-30.5);
    applyStatus(s, status(2, T0, { ts: '2026-09-18T10:00:00+08:00' }), T0);
    expect(s.clockSkewS).toBe(0);
  });

  it('changes nothing for a duplicate or a late status', () => {
    applyStatus(s, status(5, T0, { batteryPct: 90 }), T0);
    expect(applyStatus(s, status(5, T0 + 500 * S, { batteryPct: 10 }), T0 + 10 * S).verdict).toBe('duplicate');
    expect(applyStatus(s, status(4, T0 + 500 * S, { batteryPct: 10 }), T0 + 10 * S).verdict).toBe('duplicate');
    expect(s).toMatchObject({ lastSeenAt: T0, statusReceivedAt: T0, clockSkewS: 0 });
    expect(s.status?.batteryPct).toBe(90);
  });

  it('reports seq lost once the reorder window has passed', () => {
    applyStatus(s, status(0, T0), T0);
    applyStatus(s, status(3, T0), T0);
    expect(applyStatus(s, status(4, T0 + 10 * S), T0 + 10 * S)).toEqual({ verdict: 'applied', newlyLost: 2 });
  });

  it('brings an offline siren back with a status', () => {
    applyStatus(s, status(0, T0), T0);
    expect(sweep(s, T0 + 90 * S)).toBe(true);
    applyStatus(s, status(1, T0 + 120 * S), T0 + 120 * S);
    expect(s).toMatchObject({ online: true, offlineSince: null, lastSeenAt: T0 + 120 * S });
  });

  it('moves the door state on door events, without touching the stored status object', () => {
    applyStatus(s, status(0, T0), T0);
    const before = s.status;
    expect(applyEventOrAck(s, door('door.opened', 1, T0 + S), T0 + S).verdict).toBe('applied');
    expect(s.status?.doorOpen).toBe(true);
    expect(before?.doorOpen).toBe(false);
    expect(s.status?.seq).toBe(0);
    applyEventOrAck(s, door('door.closed', 2, T0 + 2 * S), T0 + 2 * S);
    expect(s.status?.doorOpen).toBe(false);
  });

  it('ignores the door state of a duplicate or late door event', () => {
    applyStatus(s, status(0, T0), T0);
    applyEventOrAck(s, door('door.closed', 2, T0), T0);
    expect(applyEventOrAck(s, door('door.opened', 2, T0), T0 + S).verdict).toBe('duplicate');
    expect(applyEventOrAck(s, door('door.opened', 1, T0), T0 + S).verdict).toBe('duplicate'); // a lower seq of this boot, even within the reorder window
    expect(s.status?.doorOpen).toBe(false);
  });

  it('applies a door event before any status without inventing one', () => {
    expect(applyEventOrAck(s, door('door.opened', 0, T0), T0).verdict).toBe('applied');
    expect(s.status).toBeNull();
    expect(s.online).toBe(true);
  });

  it('marks alive on other events and acks, which leave the status alone', () => {
    applyStatus(s, status(0, T0), T0);
    applyEventOrAck(s, { ...header(1, T0 + 70 * S), type: 'tamper' }, T0 + 5 * S);
    expect(s).toMatchObject({ lastSeenAt: T0 + 5 * S, clockSkewS: 65 });
    expect(s.status?.doorOpen).toBe(false);
    const ack: Ack = { ...header(2, T0 + 6 * S), commandId: 'c', accepted: true };
    expect(applyEventOrAck(s, ack, T0 + 6 * S).verdict).toBe('applied');
    expect(s).toMatchObject({ lastSeenAt: T0 + 6 * S, clockSkewS: 0 });
  });
});

describe('silence: 3 × intervalS from max(lastSeenAt, connectedSince)', () => {
  it('goes offline at the deadline, with offlineSince = the deadline', () => {
    applyStatus(s, status(0, T0), T0);
    expect(sweep(s, T0 + 90 * S - 1)).toBe(false);
    expect(s.online).toBe(true);
    expect(sweep(s, T0 + 90 * S + 400)).toBe(true);
    expect(s).toMatchObject({ online: false, offlineSince: T0 + 90 * S });
    expect(sweep(s, T0 + 200 * S)).toBe(false);
    expect(s.offlineSince).toBe(T0 + 90 * S);
  });

  it('restarts the timer when the centre reconnects', () => {
    applyStatus(s, status(0, T0), T0);
    const back = T0 + 60 * S;
    expect(sweep(s, T0 + 120 * S, back)).toBe(false);
    expect(sweep(s, back + 90 * S - 1, back)).toBe(false);
    expect(sweep(s, back + 90 * S, back)).toBe(true);
    expect(s.offlineSince).toBe(back + 90 * S);
  });

  it('follows the birth’s interval and the configured multiple', () => {
    applyBirth(s, birth({ intervalS: 10 }), ctx(T0));
    expect(sweep(s, T0 + 30 * S - 1)).toBe(false);
    expect(sweep(s, T0 + 30 * S)).toBe(true);
    const t = newLiveSiren(30);
    applyStatus(t, status(0, T0), T0);
    expect(sweep(t, T0 + 60 * S - 1, CONNECTED_SINCE, 2)).toBe(false);
    expect(sweep(t, T0 + 60 * S, CONNECTED_SINCE, 2)).toBe(true);
  });

  it('pushes the deadline out with every applied message', () => {
    applyStatus(s, status(0, T0), T0);
    applyEventOrAck(s, { ...header(1, T0 + 80 * S), type: 'tamper' }, T0 + 80 * S);
    expect(sweep(s, T0 + 120 * S)).toBe(false);
    expect(sweep(s, T0 + 170 * S)).toBe(true);
  });
});

describe('sweepDueAt: when the sweep next needs to look', () => {
  it('is the silence deadline of a live siren, from max(lastSeenAt, connectedSince)', () => {
    applyBirth(s, birth({ intervalS: 10 }), ctx(T0));
    expect(sweepDueAt(s, CONNECTED_SINCE, 3)).toBe(T0 + 30 * S);
    expect(sweepDueAt(s, T0 + 5 * S, 3)).toBe(T0 + 35 * S);
    expect(sweep(s, T0 + 30 * S)).toBe(true);
    expect(sweepDueAt(s, CONNECTED_SINCE, 3)).toBe(Infinity);
  });

  it('is never for a siren never heard, and the next sweep for a will waiting for the reconnect', () => {
    expect(sweepDueAt(s, CONNECTED_SINCE, 3)).toBe(Infinity);
    applyBirth(s, birth(), ctx(T0));
    applyWill(s, will(), ctx(T0 + S));
    expect(sweepDueAt(s, CONNECTED_SINCE, 3)).toBe(T0 + S + HOLD);
    holdWillsForReconnect(s);
    expect(sweepDueAt(s, CONNECTED_SINCE, 3)).toBe(0);
  });
});
