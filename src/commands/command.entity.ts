import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

/** A command sent to a siren, with its ack and result as they came back. */
@Entity('commands')
export class CommandEntity {
  @PrimaryColumn('text', { name: 'command_id' }) commandId: string;
  @Column('text', { name: 'siren_id' }) sirenId: string;
  @Column('text') type: string;
  @Column('text', { nullable: true }) pattern: string | null;
  @Column('text', { name: 'drill_id', nullable: true }) drillId: string | null;
  @Column('text', { name: 'alert_id', nullable: true }) alertId: string | null;
  @Column('boolean') exercise: boolean;
  @Column('bigint', { name: 'issued_at', transformer: epochMs }) issuedAt: number;
  @Column('bigint', { name: 'expires_at', transformer: epochMs }) expiresAt: number;
  @Column('text', { name: 'sent_by' }) sentBy: string;
  @Column('bigint', { name: 'acked_at', nullable: true, transformer: epochMs }) ackedAt: number | null;
  @Column('boolean', { nullable: true }) accepted: boolean | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('bigint', { name: 'result_at', nullable: true, transformer: epochMs }) resultAt: number | null;
  @Column('simple-json', { nullable: true }) result: object | null;
}
