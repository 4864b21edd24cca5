import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

export type IncidentKind = 'power' | 'comms' | 'other';

@Entity('incidents')
export class IncidentEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') kind: IncidentKind;
  @Column('text', { name: 'district_code', nullable: true }) districtCode: string | null;
  @Column('text', { name: 'district_name', nullable: true }) districtName: string | null;
  @Column('bigint', { name: 'opened_at', transformer: epochMs }) openedAt: number;
  @Column('bigint', { name: 'closed_at', nullable: true, transformer: epochMs }) closedAt: number | null;
  @Column('simple-json', { name: 'fault_ids' }) faultIds: string[];
  @Column('integer', { name: 'siren_count' }) sirenCount: number;
  @Column('bigint', { name: 'acked_at', nullable: true, transformer: epochMs }) ackedAt: number | null;
  @Column('text', { name: 'acked_by', nullable: true }) ackedBy: string | null;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}
