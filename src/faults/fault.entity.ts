import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';
import type { FaultState, FaultType, Severity } from './fault-types.js';

@Entity('faults')
export class FaultEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'siren_id' }) sirenId: string;
  @Column('text') type: FaultType;
  @Column('text') severity: Severity;
  @Column('text') state: FaultState;
  @Column('bigint', { name: 'raised_at', transformer: epochMs }) raisedAt: number;
  @Column('bigint', { name: 'cleared_at', nullable: true, transformer: epochMs }) clearedAt: number | null;
  @Column('bigint', { name: 'acked_at', nullable: true, transformer: epochMs }) ackedAt: number | null;
  @Column('text', { name: 'acked_by', nullable: true }) ackedBy: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('bigint', { name: 'shelved_until', nullable: true, transformer: epochMs }) shelvedUntil: number | null;
  @Column('integer', { name: 'flap_count' }) flapCount: number;
  @Column('text', { name: 'incident_id', nullable: true }) incidentId: string | null;
  @Column('text', { nullable: true }) detail: string | null;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}
