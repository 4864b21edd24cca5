import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

/** A registered siren: where it stands and how it is judged. Live state is kept apart (siren_state). */
@Entity('sirens')
export class SirenEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'district_code' }) districtCode: string;
  @Column('text', { name: 'district_name' }) districtName: string;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('text', { nullable: true }) model: string | null;
  @Column('double precision', { name: 'sound_threshold_db', nullable: true }) soundThresholdDb: number | null;
  @Column('text', { name: 'comms_path', nullable: true }) commsPath: string | null;
  /** Set by an engineer, it overrides the capabilities the siren announces in its birth. */
  @Column('simple-json', { nullable: true }) capabilities: string[] | null;
  /** HMAC secret for signing commands; never leaves the service. */
  @Column('text', { nullable: true, select: false }) secret: string | null;
  @Column('boolean') maintenance: boolean;
  @Column('text', { name: 'maintenance_note', nullable: true }) maintenanceNote: string | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}

@Entity('siren_state')
export class SirenStateEntity {
  @PrimaryColumn('text', { name: 'siren_id' }) sirenId: string;
  @Column('text') state: string;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}

/** A stretch of time a siren spent in maintenance (left out of its availability); open while it lasts. */
@Entity('maintenance_periods')
export class MaintenancePeriodEntity {
  @PrimaryColumn('text', { name: 'siren_id' }) sirenId: string;
  @PrimaryColumn('bigint', { name: 'started_at', transformer: epochMs }) startedAt: number;
  @Column('bigint', { name: 'ended_at', nullable: true, transformer: epochMs }) endedAt: number | null;
}
