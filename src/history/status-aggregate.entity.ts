import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

/**
 * Five minutes of one siren's status points, kept after the raw points are pruned. Sums and counts (not
 * means) so that late points merge into a bucket exactly; a metric's `_n` counts its non-null values.
 */
@Entity('status_aggregates')
export class StatusAggregateEntity {
  @PrimaryColumn('text', { name: 'siren_id' }) sirenId: string;
  @PrimaryColumn('bigint', { name: 'bucket_start', transformer: epochMs }) bucketStart: number;
  @Column('integer') count: number;
  @Column('integer', { name: 'mains_count' }) mainsCount: number;
  @Column('integer', { name: 'battery_v_n' }) batteryVN: number;
  @Column('double precision', { name: 'battery_v_sum' }) batteryVSum: number;
  @Column('double precision', { name: 'battery_v_min', nullable: true }) batteryVMin: number | null;
  @Column('double precision', { name: 'battery_v_max', nullable: true }) batteryVMax: number | null;
  @Column('integer', { name: 'battery_pct_n' }) batteryPctN: number;
  @Column('double precision', { name: 'battery_pct_sum' }) batteryPctSum: number;
  @Column('double precision', { name: 'battery_pct_min', nullable: true }) batteryPctMin: number | null;
  @Column('double precision', { name: 'battery_pct_max', nullable: true }) batteryPctMax: number | null;
  @Column('integer', { name: 'temperature_c_n' }) temperatureCN: number;
  @Column('double precision', { name: 'temperature_c_sum' }) temperatureCSum: number;
  @Column('double precision', { name: 'temperature_c_min', nullable: true }) temperatureCMin: number | null;
  @Column('double precision', { name: 'temperature_c_max', nullable: true }) temperatureCMax: number | null;
  @Column('integer', { name: 'rssi_dbm_n' }) rssiDbmN: number;
  @Column('double precision', { name: 'rssi_dbm_sum' }) rssiDbmSum: number;
  @Column('double precision', { name: 'rssi_dbm_min', nullable: true }) rssiDbmMin: number | null;
  @Column('double precision', { name: 'rssi_dbm_max', nullable: true }) rssiDbmMax: number | null;
}
