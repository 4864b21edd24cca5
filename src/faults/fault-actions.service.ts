import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { acknowledge, clear } from './fault-lifecycle.js';
import { isActive, type FaultType } from './fault-types.js';
import type { FaultEntity } from './fault.entity.js';
import { FaultService } from './fault.service.js';

/** Types that no siren state clears: an operator does, once the cause is dealt with. */
const CLEARED_BY_OPERATOR: readonly FaultType[] = ['TAMPER', 'UNREGISTERED_DEVICE'];

/** What duty operators do to faults: acknowledge, shelve, clear by hand — each one audited. */
@Injectable()
export class FaultActions {
  constructor(
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async acknowledge(id: string, by: string, note: string | null): Promise<FaultEntity> {
    const f = await this.openFault(id);
    acknowledge(f, by, note, this.clock.now());
    this.faults.update(f);
    await this.audit.record(by, 'fault.ack', id, { sirenId: f.sirenId, type: f.type, note });
    return f;
  }

  /** Acknowledges many at once (an incident's members); the audit entry names them all. */
  async acknowledgeAll(ids: readonly string[], by: string, note: string | null, target: string): Promise<number> {
    const now = this.clock.now();
    const open = this.faults.open().filter((f) => ids.includes(f.id) && f.state !== 'active_acked');
    for (const f of open) {
      acknowledge(f, by, note, now);
      this.faults.update(f);
    }
    await this.audit.record(by, 'incident.ack', target, { faults: open.map((f) => f.id), note });
    return open.length;
  }

  /** Out of the annunciated list until the shelf expires; still active and still counted for health. */
  async shelve(id: string, minutes: number, by: string, note: string | null): Promise<FaultEntity> {
    const f = await this.openFault(id);
    if (!isActive(f.state)) throw new DomainError('CONFLICT', `fault ${id} is not active (${f.state}): acknowledge it instead`);
    f.shelvedUntil = this.clock.now() + minutes * 60_000;
    f.note = note ?? f.note;
    this.faults.update(f);
    await this.audit.record(by, 'fault.shelve', id, { sirenId: f.sirenId, type: f.type, minutes, note });
    return f;
  }

  async unshelve(id: string, by: string): Promise<FaultEntity> {
    const f = await this.openFault(id);
    f.shelvedUntil = null;
    this.faults.update(f);
    await this.audit.record(by, 'fault.unshelve', id, { sirenId: f.sirenId, type: f.type });
    return f;
  }

  async clearByHand(id: string, by: string, note: string | null): Promise<FaultEntity> {
    const f = await this.openFault(id);
    if (!CLEARED_BY_OPERATOR.includes(f.type)) throw new DomainError('CONFLICT', `a ${f.type} fault clears by itself when its cause is gone`);
    if (isActive(f.state)) clear(f, this.clock.now());
    acknowledge(f, by, note, this.clock.now());
    this.faults.update(f);
    await this.audit.record(by, 'fault.clear', id, { sirenId: f.sirenId, type: f.type, note });
    return f;
  }

  private async openFault(id: string): Promise<FaultEntity> {
    const f = await this.faults.find(id);
    if (!f) throw notFound(`fault ${id}`);
    if (f.state === 'closed') throw new DomainError('CONFLICT', `fault ${id} is closed`);
    return f;
  }
}
