import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

@Entity('quarantine')
export class QuarantineEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column('bigint', { name: 'received_at', transformer: epochMs }) receivedAt: number;
  @Column('text') topic: string;
  @Column('text', { name: 'siren_id', nullable: true }) sirenId: string | null;
  @Column('text') reason: string;
  @Column('text') detail: string;
  @Column('text') payload: string;
}

@Entity('ingest_checkpoint')
export class CheckpointEntity {
  @Column('text', { primary: true }) consumer: string;
  @Column('bigint', { name: 'journal_offset', transformer: epochMs }) journalOffset: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}
