import { iso } from '../common/time.js';
import type { FaultEntity } from './fault.entity.js';
import type { IncidentEntity } from './incident.entity.js';

/** Whether the console's alarm list shows it: open, not shelved, and not standing inside an incident. */
export function isAnnunciated(f: FaultEntity, now = Date.now()): boolean {
  return f.state !== 'closed' && f.incidentId === null && (f.shelvedUntil === null || f.shelvedUntil <= now);
}

export function faultView(f: FaultEntity) {
  return {
    id: f.id,
    sirenId: f.sirenId,
    type: f.type,
    severity: f.severity,
    state: f.state,
    raisedAt: iso(f.raisedAt),
    clearedAt: iso(f.clearedAt),
    ackedAt: iso(f.ackedAt),
    ackedBy: f.ackedBy,
    note: f.note,
    incidentId: f.incidentId,
    shelvedUntil: iso(f.shelvedUntil),
    annunciated: isAnnunciated(f),
    flapCount: f.flapCount,
    detail: f.detail,
  };
}

export function incidentView(i: IncidentEntity) {
  return {
    id: i.id,
    kind: i.kind,
    districtCode: i.districtCode,
    districtName: i.districtName,
    openedAt: iso(i.openedAt),
    closedAt: iso(i.closedAt),
    faultIds: i.faultIds,
    sirenCount: i.sirenCount,
    ackedAt: iso(i.ackedAt),
    ackedBy: i.ackedBy,
  };
}
