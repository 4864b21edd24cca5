import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MinRole } from '../auth/roles.js';
import { ZodPipe } from '../common/zod-body.js';
import { AvailabilityService } from './availability.service.js';
import { MONTH } from './month.js';
import { MonthlyReports } from './monthly-reports.service.js';
import { REPORT_LANGS } from './report-texts.js';

const MAX_PERIOD_MS = 400 * 86_400_000;
const instant = z.iso.datetime({ offset: true }).transform(Date.parse);
/** A period [from, to) checked as a whole. */
const checked = <Q extends { from: number; to: number }>(s: z.ZodType<Q>) =>
  s
    .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['from'] })
    .refine((q) => q.to - q.from <= MAX_PERIOD_MS, { message: 'the period may span at most 400 days', path: ['to'] });
const availabilityQuery = checked(z.object({ from: instant, to: instant, groupBy: z.enum(['siren', 'district', 'fleet']).default('siren') }));
const trendQuery = checked(z.object({ from: instant, to: instant, points: z.coerce.number().int().min(1).max(400).default(30), district: z.string().min(1).max(32).optional() }));
const month = z.string().regex(MONTH, 'must be a month as YYYY-MM');
const monthlyQuery = z.object({ month, lang: z.enum(REPORT_LANGS).default('zh-CN') });
const storedQuery = z.object({ lang: z.enum(REPORT_LANGS).default('zh-CN') });

/** Availability figures and monthly reports: read-only, for every signed-in role. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(
    @Inject(AvailabilityService) private readonly availability: AvailabilityService,
    @Inject(MonthlyReports) private readonly monthly: MonthlyReports,
  ) {}

  @Get('availability')
  @MinRole('viewer')
  byPeriod(@Query(new ZodPipe(availabilityQuery, 'query')) q: z.infer<typeof availabilityQuery>) {
    if (q.groupBy === 'fleet') return this.availability.fleet(q.from, q.to).then((f) => [f]);
    return q.groupBy === 'district' ? this.availability.byDistrict(q.from, q.to) : this.availability.bySiren(q.from, q.to);
  }

  @Get('availability/trend')
  @MinRole('viewer')
  trend(@Query(new ZodPipe(trendQuery, 'query')) q: z.infer<typeof trendQuery>) {
    return this.availability.trend(q.from, q.to, q.points, q.district);
  }

  @Get('monthly')
  @MinRole('viewer')
  @Header('Content-Type', 'text/html; charset=utf-8')
  html(@Query(new ZodPipe(monthlyQuery, 'query')) q: z.infer<typeof monthlyQuery>) {
    return this.monthly.html(q.month, q.lang);
  }

  @Get('monthly.csv')
  @MinRole('viewer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  csv(@Query(new ZodPipe(monthlyQuery, 'query')) q: z.infer<typeof monthlyQuery>) {
    return this.monthly.csv(q.month);
  }

  @Get('monthly/stored')
  @MinRole('viewer')
  stored() {
    return this.monthly.list();
  }

  @Get('monthly/stored/:month')
  @MinRole('viewer')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async storedHtml(@Param('month', new ZodPipe(month, 'month')) m: string, @Query(new ZodPipe(storedQuery, 'query')) q: z.infer<typeof storedQuery>) {
    return (await this.monthly.stored(m, q.lang)).html;
  }

  @Get('monthly/stored/:month/csv')
  @MinRole('viewer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async storedCsv(@Param('month', new ZodPipe(month, 'month')) m: string) {
    return (await this.monthly.stored(m, 'en')).csv;
  }
}
