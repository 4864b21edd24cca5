/**
 * The ordering rules of PROTOCOL.md ("Sessions, ordering and duplicates"): which message of a siren is
 * applied, which is a duplicate or late, and how many `seq` were lost. Pure: time is passed in.
 */
export interface SequenceState {
  bootId: string | null;
  lastSeq: number;
  /** First seq seen in this boot: the centre may join a boot late, and seq before it are not "lost". */
  firstSeq: number;
  /** Earlier boots of this siren, newest last (bounded): their messages are late. */
  pastBoots: readonly string[];
  /** seq skipped by a jump, with the receive time of the jump: lost once the reorder window passes. */
  gaps: readonly (readonly [seq: number, at: number])[];
  /** seq known lost within the last 100 expected. */
  lostSeqs: readonly number[];
}

export type Verdict = 'applied' | 'duplicate' | 'late';

export const REORDER_WINDOW_MS = 5_000;
const LOSS_WINDOW = 100;
const MIN_EXPECTED_FOR_RATE = 20;
const PAST_BOOTS_KEPT = 16;

/**
 * The lists are replaced, never changed in place, so that every siren without gaps or losses shares
 * this one empty list: three empty arrays for each of 100 000 sirens were 9 MiB of heap.
 */
const NONE: readonly never[] = Object.freeze([]);

export function newSequenceState(): SequenceState {
  return { bootId: null, lastSeq: -1, firstSeq: 0, pastBoots: NONE, gaps: NONE, lostSeqs: NONE };
}

export interface SequenceJudgement {
  verdict: Verdict;
  /** seq that became lost with this message (their reorder window passed, or too far back to wait for). */
  newlyLost: number;
}

/** Judges (and, when applied, records) one message's `bootId`/`seq`. */
export function judgeSequence(s: SequenceState, bootId: string, seq: number, now: number): SequenceJudgement {
  let newlyLost = expireGaps(s, now);
  if (bootId !== s.bootId) {
    if (s.pastBoots.includes(bootId)) return { verdict: 'late', newlyLost };
    if (s.bootId !== null) s.pastBoots = [...s.pastBoots, s.bootId].slice(-PAST_BOOTS_KEPT);
    Object.assign(s, { bootId, lastSeq: seq, firstSeq: seq, gaps: NONE, lostSeqs: NONE });
    return { verdict: 'applied', newlyLost };
  }
  if (seq <= s.lastSeq) {
    const gap = s.gaps.findIndex(([g]) => g === seq);
    if (gap < 0) return { verdict: 'duplicate', newlyLost };
    // Arrived within the reorder window: not lost; but a lower seq of the current boot counts as a
    // duplicate (PROTOCOL.md) and is not applied.
    s.gaps = s.gaps.toSpliced(gap, 1);
    return { verdict: 'duplicate', newlyLost };
  }
  const waitFrom = Math.max(s.lastSeq + 1, seq - LOSS_WINDOW);
  newlyLost += waitFrom - (s.lastSeq + 1);
  if (waitFrom < seq) s.gaps = [...s.gaps, ...Array.from({ length: seq - waitFrom }, (_, i) => [waitFrom + i, now] as const)];
  s.lastSeq = seq;
  if (s.lostSeqs.length) s.lostSeqs = s.lostSeqs.filter((l) => l > seq - LOSS_WINDOW);
  return { verdict: 'applied', newlyLost };
}

function expireGaps(s: SequenceState, now: number): number {
  let expired = 0;
  while (expired < s.gaps.length && s.gaps[expired][1] + REORDER_WINDOW_MS <= now) expired++;
  if (expired) {
    s.lostSeqs = [...s.lostSeqs, ...s.gaps.slice(0, expired).map(([seq]) => seq)];
    s.gaps = s.gaps.slice(expired);
  }
  return expired;
}

/** Share of the last 100 expected seq that were lost, or null while fewer than 20 are expected since boot. */
export function lossRate(s: SequenceState): number | null {
  if (s.bootId === null) return null;
  const expected = Math.min(LOSS_WINDOW, s.lastSeq - s.firstSeq + 1);
  if (expected < MIN_EXPECTED_FOR_RATE) return null;
  const windowStart = s.lastSeq - expected + 1;
  return s.lostSeqs.filter((l) => l >= windowStart).length / expected;
}
