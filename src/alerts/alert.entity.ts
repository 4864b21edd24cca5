import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';
import type { CapInfo, CapReference } from './cap-parser.js';

export type AlertState = 'active' | 'updated' | 'cancelled' | 'expired';

@Entity('alerts')
export class AlertEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') identifier: string;
  @Column('text') sender: string;
  /** As the sender wrote it (part of the alert's identity). */
  @Column('text') sent: string;
  @Column('bigint', { name: 'sent_at', transformer: epochMs }) sentAt: number;
  @Column('text') status: string;
  @Column('text', { name: 'msg_type' }) msgType: string;
  @Column('text') scope: string;
  @Column('text') version: string;
  @Column('simple-json') infos: CapInfo[];
  @Column('simple-json') refs: CapReference[];
  @Column('bigint', { name: 'expires_at', nullable: true, transformer: epochMs }) expiresAt: number | null;
  @Column('text') state: AlertState;
  @Column('bigint', { name: 'received_at', transformer: epochMs }) receivedAt: number;
  @Column('text', { name: 'received_via' }) receivedVia: 'http' | 'mqtt';
  @Column('text', { name: 'received_by' }) receivedBy: string;
  @Column('text', { name: 'activation_id', nullable: true }) activationId: string | null;
  @Column('text') xml: string;
}
