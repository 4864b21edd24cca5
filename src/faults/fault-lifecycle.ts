import { FAULT_TYPES, isActive, type FaultType } from './fault-types.js';
import type { FaultEntity } from './fault.entity.js';

/** Plain fault record transitions (API.md "Faults"); the service decides when they happen. */
export function newFault(id: string, sirenId: string, type: FaultType, now: number, detail: string | null): FaultEntity {
  return {
    id,
    sirenId,
    type,
    severity: FAULT_TYPES[type].severity,
    state: 'active_unacked',
    raisedAt: now,
    clearedAt: null,
    ackedAt: null,
    ackedBy: null,
    note: null,
    shelvedUntil: null,
    flapCount: 0,
    incidentId: null,
    detail,
    updatedAt: now,
  };
}

/** Comes back within the hold-off: the same record re-opens and counts a flap. */
export function reopen(f: FaultEntity, now: number, detail: string | null): void {
  Object.assign(f, { state: 'active_unacked', clearedAt: null, ackedAt: null, ackedBy: null, detail, updatedAt: now });
  f.flapCount++;
}

/** An acknowledged fault closes when it clears; an unacknowledged one waits for its acknowledgement. */
export function clear(f: FaultEntity, now: number): void {
  f.state = f.state === 'active_acked' ? 'closed' : 'cleared_unacked';
  f.clearedAt = now;
  f.updatedAt = now;
}

export function acknowledge(f: FaultEntity, by: string, note: string | null, now: number): void {
  f.state = isActive(f.state) ? 'active_acked' : 'closed';
  Object.assign(f, { ackedAt: now, ackedBy: by, note: note ?? f.note, updatedAt: now });
}
