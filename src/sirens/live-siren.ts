import type { Birth, SirenEvent, Status, Will } from '../protocol/payloads.js';
import { judgeSequence, newSequenceState, type SequenceState, type Verdict } from './sequence.js';

/** What the centre knows of one siren from its traffic (the registry entry is kept apart). */
export interface LiveSiren {
  seq: SequenceState;
  bdSeq: number | null;
  intervalS: number;
  model: string | null;
  fw: string | null;
  capabilities: string[];
  /** null until the first birth or status. */
  online: boolean | null;
  lastSeenAt: number | null;
  offlineSince: number | null;
  status: Status | null;
  statusReceivedAt: number | null;
  /** Siren clock minus receive time, in seconds, from the last applied message. */
  clockSkewS: number | null;
  /** A will waiting out its hold; `applyAt` null means "one interval after the centre reconnects". */
  pendingWill: { bdSeq: number; receivedAt: number; applyAt: number | null } | null;
}

export function newLiveSiren(defaultIntervalS: number): LiveSiren {
  return {
    seq: newSequenceState(),
    bdSeq: null,
    intervalS: defaultIntervalS,
    model: null,
    fw: null,
    capabilities: ['tone'],
    online: null,
    lastSeenAt: null,
    offlineSince: null,
    status: null,
    statusReceivedAt: null,
    clockSkewS: null,
    pendingWill: null,
  };
}

export interface ApplyContext {
  now: number;
  /** The message came as a retained one (on (re-)subscribing), not live. */
  retained: boolean;
  /** The centre's own broker connection is up. */
  connected: boolean;
  willHoldMs: number;
}

function markAlive(s: LiveSiren, now: number): void {
  s.online = true;
  s.lastSeenAt = now;
  s.offlineSince = null;
  s.pendingWill = null;
}

export function applyBirth(s: LiveSiren, b: Birth, ctx: ApplyContext): Verdict {
  if (s.seq.pastBoots.includes(b.bootId)) return 'late';
  if (b.bootId === s.seq.bootId && s.bdSeq !== null && b.bdSeq <= s.bdSeq) return b.bdSeq === s.bdSeq ? 'duplicate' : 'late';
  if (b.bootId !== s.seq.bootId) {
    if (s.seq.bootId !== null) s.seq.pastBoots = [...s.seq.pastBoots, s.seq.bootId].slice(-16);
    s.seq = { ...newSequenceState(), pastBoots: s.seq.pastBoots, bootId: b.bootId };
  }
  Object.assign(s, { bdSeq: b.bdSeq, intervalS: b.intervalS, model: b.model ?? null, fw: b.fw ?? null, capabilities: b.capabilities });
  markAlive(s, ctx.now);
  return 'applied';
}

/** A will (or the siren's own goodbye) is held before it applies; one of an older connection is stale. */
export function applyWill(s: LiveSiren, w: Will, ctx: ApplyContext): Verdict {
  if (w.bdSeq !== s.bdSeq) return 'late';
  if (s.online === false || s.pendingWill?.bdSeq === w.bdSeq) return 'duplicate';
  const applyAt = ctx.retained || !ctx.connected ? null : ctx.now + ctx.willHoldMs;
  s.pendingWill = { bdSeq: w.bdSeq, receivedAt: ctx.now, applyAt };
  return 'applied';
}

function judge(s: LiveSiren, m: { bootId: string; seq: number; ts: string }, now: number): { verdict: Verdict; newlyLost: number } {
  const j = judgeSequence(s.seq, m.bootId, m.seq, now);
  if (j.verdict === 'applied') {
    markAlive(s, now);
    s.clockSkewS = (Date.parse(m.ts) - now) / 1000;
  }
  return j;
}

export function applyStatus(s: LiveSiren, st: Status, now: number): { verdict: Verdict; newlyLost: number } {
  const j = judge(s, st, now);
  if (j.verdict === 'applied') {
    s.status = st;
    s.statusReceivedAt = now;
  }
  return j;
}

/** Events and acks take part in ordering; door events also move the last known door state. */
export function applyEventOrAck(s: LiveSiren, m: SirenEvent | { bootId: string; seq: number; ts: string }, now: number) {
  const j = judge(s, m, now);
  if (j.verdict === 'applied' && 'type' in m && s.status && (m.type === 'door.opened' || m.type === 'door.closed')) {
    s.status = { ...s.status, doorOpen: m.type === 'door.opened' };
  }
  return j;
}

export interface SweepContext {
  now: number;
  /** When the centre's broker connection last came up; silence is measured from no earlier than this. */
  connectedSince: number;
  offlineMultiple: number;
}

/** Applies due wills and the silence rule; true when the siren went offline. Call only while connected. */
export function sweepLiveness(s: LiveSiren, ctx: SweepContext): boolean {
  const w = s.pendingWill;
  if (w) {
    if (w.applyAt === null) w.applyAt = ctx.connectedSince + s.intervalS * 1000;
    if (w.applyAt <= ctx.now) {
      s.pendingWill = null;
      s.online = false;
      s.offlineSince = w.receivedAt;
      return true;
    }
  }
  if (s.online !== true || s.lastSeenAt === null) return false;
  const silentFrom = Math.max(s.lastSeenAt, ctx.connectedSince);
  const deadline = silentFrom + ctx.offlineMultiple * s.intervalS * 1000;
  if (ctx.now < deadline) return false;
  s.online = false;
  s.offlineSince = deadline;
  return true;
}

/**
 * The earliest time at which `sweepLiveness` could change the siren: before it, the sweep need not look
 * at it. It stays true later, as `connectedSince` only grows. 0: at the next sweep (a will waiting for the
 * reconnect gets its time there); Infinity: only a new message can make the sweep act.
 */
export function sweepDueAt(s: LiveSiren, connectedSince: number, offlineMultiple: number): number {
  const w = s.pendingWill;
  const willDue = w === null ? Infinity : w.applyAt === null ? 0 : w.applyAt;
  if (s.online !== true || s.lastSeenAt === null) return willDue;
  return Math.min(willDue, Math.max(s.lastSeenAt, connectedSince) + offlineMultiple * s.intervalS * 1000);
}

/** The centre lost its broker: held wills now wait for the reconnect. */
export function holdWillsForReconnect(s: LiveSiren): void {
  if (s.pendingWill) s.pendingWill.applyAt = null;
}
