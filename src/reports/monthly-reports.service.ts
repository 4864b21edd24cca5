import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { invalid, notFound } from '../common/domain-error.js';
import { iso } from '../common/time.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { monthlyCsv } from './monthly-report.csv.js';
import { monthlyHtml } from './monthly-report.html.js';
import { MonthlyReportBuilder } from './monthly-report.js';
import { MonthlyReportEntity } from './monthly-report.entity.js';
import { monthOf, previousMonth } from './month.js';
import { REPORT_LANGS, type ReportLang } from './report-texts.js';

/** How often the service looks whether last month's report is stored yet (it is made on the 1st). */
const CHECK_MS = 3_600_000;

/**
 * Monthly reports on demand, and stored once a month has ended (checked at start and hourly, so the
 * report of a month appears early on the 1st). Storing is an upsert by (month, lang): several instances
 * doing it at once store the same report.
 */
@Injectable()
export class MonthlyReports implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('reports');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @InjectRepository(MonthlyReportEntity) private readonly repo: Repository<MonthlyReportEntity>,
    @Inject(MonthlyReportBuilder) private readonly builder: MonthlyReportBuilder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const check = () => this.storeDue().catch((e: unknown) => this.log.error(`monthly report: ${e instanceof Error ? e.message : String(e)}`));
    this.timers = [setInterval(check, CHECK_MS), setTimeout(check, 5_000)];
    this.timers.forEach((t) => t.unref());
  }

  onModuleDestroy(): void {
    this.timers.forEach((t) => clearTimeout(t));
  }

  async html(month: string, lang: ReportLang): Promise<string> {
    return monthlyHtml(await this.builder.build(this.begun(month)), lang);
  }

  async csv(month: string): Promise<string> {
    return monthlyCsv(await this.builder.build(this.begun(month)));
  }

  /** Stores last month's report in every language, unless it is stored already; the months stored. */
  async storeDue(): Promise<string[]> {
    const month = previousMonth(monthOf(this.clock.now(), this.config.REPORT_TIME_ZONE));
    const have = await this.repo.find({ where: { month }, select: { month: true, lang: true } });
    const missing = REPORT_LANGS.filter((lang) => !have.some((r) => r.lang === lang));
    if (!missing.length) return [];
    const data = await this.builder.build(month);
    const csv = monthlyCsv(data);
    await this.repo.upsert(
      missing.map((lang) => ({ month, lang, generatedAt: data.generatedAt, html: monthlyHtml(data, lang), csv })),
      ['month', 'lang'],
    );
    this.log.log(`monthly report ${month} stored (${missing.join(', ')})`);
    return [month];
  }

  async list() {
    const rows = await this.repo.find({ select: { month: true, lang: true, generatedAt: true }, order: { month: 'DESC', lang: 'ASC' }, take: 1000 });
    return rows.map((r) => ({ month: r.month, lang: r.lang, generatedAt: iso(r.generatedAt) }));
  }

  async stored(month: string, lang: ReportLang): Promise<MonthlyReportEntity> {
    const r = await this.repo.findOneBy({ month, lang });
    if (!r) throw notFound(`stored monthly report ${month} (${lang})`);
    return r;
  }

  private begun(month: string): string {
    if (month > monthOf(this.clock.now(), this.config.REPORT_TIME_ZONE)) throw invalid(`month: ${month} has not begun yet`);
    return month;
  }
}
