import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time.js';

/** A monthly report as generated on schedule after its month ended, in one language. */
@Entity('monthly_reports')
export class MonthlyReportEntity {
  @PrimaryColumn('text') month: string;
  @PrimaryColumn('text') lang: string;
  @Column('bigint', { name: 'generated_at', transformer: epochMs }) generatedAt: number;
  @Column('text') html: string;
  @Column('text') csv: string;
}
