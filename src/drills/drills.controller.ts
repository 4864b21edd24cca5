import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/decorators.js';
import { MinRole, type Principal } from '../auth/roles.js';
import { BodyLimit } from '../common/body-limit.js';
import { ZodPipe } from '../common/zod-body.js';
import { compare, drillView, toCsv } from './drill-report.js';
import { DrillService, planSchema, type DrillPlan } from './drill.service.js';

/** Joint network test drills: engineers plan, start and abort; everyone with a token reads. */
@ApiTags('drills')
@ApiBearerAuth()
@Controller('api/drills')
export class DrillsController {
  constructor(@Inject(DrillService) private readonly drills: DrillService) {}

  @Post()
  @MinRole('engineer')
  // A plan may list every siren of a large fleet by id (100 000 ids ≈ 2 MB).
  @BodyLimit(4 * 1024 * 1024)
  async plan(@Body(new ZodPipe(planSchema)) body: DrillPlan, @CurrentPrincipal() who: Principal) {
    const d = await this.drills.plan(body, who.username);
    return { id: d.id, state: d.state };
  }

  @Get()
  async list() {
    return (await this.drills.list()).map((d) => ({ id: d.id, name: d.name, state: d.state, mode: d.mode, patterns: d.patterns, scope: d.scope, createdAt: new Date(d.createdAt).toISOString(), startedAt: d.startedAt ? new Date(d.startedAt).toISOString() : null }));
  }

  @Post(':id/start')
  @HttpCode(200)
  @MinRole('engineer')
  async start(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    const d = await this.drills.start(id, who.username);
    return drillView(d, await this.drills.resultsOf(id));
  }

  @Post(':id/abort')
  @HttpCode(200)
  @MinRole('engineer')
  async abort(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    const d = await this.drills.abort(id, who.username);
    return drillView(d, await this.drills.resultsOf(id));
  }

  @Get(':id')
  async one(@Param('id') id: string) {
    const d = await this.drills.require(id);
    const results = await this.drills.resultsOf(id);
    const previous = await this.drills.previousOf(d);
    return { ...drillView(d, results), comparedWith: previous ? { id: previous.id, name: previous.name, ...compare(results, await this.drills.resultsOf(previous.id)) } : null };
  }

  @Get(':id/report.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async csv(@Param('id') id: string) {
    await this.drills.require(id);
    return toCsv(await this.drills.resultsOf(id));
  }

  @Get(':id/report')
  @Header('Content-Type', 'text/html; charset=utf-8')
  // The report's own inline styles, nothing else (the default policy allows nothing at all).
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
  html(@Param('id') id: string) {
    return this.drills.htmlReport(id);
  }
}
