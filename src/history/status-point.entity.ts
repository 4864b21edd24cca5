import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

/** One applied status of a siren; the key makes a replayed write a no-op. */
@Entity('status_points')
export class StatusPointEntity {
  @PrimaryColumn('text', { name: 'siren_id' }) sirenId: string;
  @PrimaryColumn('text', { name: 'boot_id' }) bootId: string;
  @PrimaryColumn('bigint', { transformer: epochMs }) seq: number;
  @Column('bigint', { transformer: epochMs }) ts: number;
  @Column('bigint', { name: 'received_at', transformer: epochMs }) receivedAt: number;
  @Column('text') mode: string;
  @Column('boolean') mains: boolean;
  @Column('double precision', { name: 'battery_v', nullable: true }) batteryV: number | null;
  @Column('double precision', { name: 'battery_pct' }) batteryPct: number;
  @Column('double precision', { name: 'temperature_c' }) temperatureC: number;
  @Column('double precision', { name: 'rssi_dbm', nullable: true }) rssiDbm: number | null;
}
