import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/decorators.js';
import { AcceptsApiKey, type Principal } from '../auth/roles.js';
import { BodyLimit } from '../common/body-limit.js';
import { DomainError } from '../common/domain-error.js';
import { ZodPipe } from '../common/zod-body.js';
import { AlertActivation } from './alert-activation.service.js';
import { AlertService } from './alert.service.js';
import { AlertView } from './alert-view.service.js';

const listQuery = z.object({ active: z.enum(['true', 'false']).optional(), lang: z.string().max(16).optional() });
const oneQuery = z.object({ lang: z.string().max(16).optional() });
const activateBody = z.object({ pattern: z.string().min(1).max(64).optional() });

/** CAP alerts in (operators, or a feed with an `alerts` API key), coverage and readiness out, activation on confirmation. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(
    @Inject(AlertService) private readonly alerts: AlertService,
    @Inject(AlertView) private readonly views: AlertView,
    @Inject(AlertActivation) private readonly activation: AlertActivation,
  ) {}

  /** The CAP document as the raw body (application/cap+xml or application/xml). */
  @Post()
  @AcceptsApiKey('alerts')
  @BodyLimit(2 * 1024 * 1024)
  async receive(@Body() body: unknown, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    if (!Buffer.isBuffer(body)) throw new DomainError('UNSUPPORTED_MEDIA', 'send the CAP document as application/cap+xml or application/xml');
    const { alert, created } = await this.alerts.intake(body, 'http', who.username);
    res.status(created ? 201 : 200);
    return this.views.view(alert);
  }

  @Get()
  async list(@Query(new ZodPipe(listQuery, 'query')) q: z.infer<typeof listQuery>) {
    const rows = await this.alerts.list(q.active === 'true');
    return Promise.all(rows.map((a) => this.views.view(a, q.lang)));
  }

  @Get(':id')
  async one(@Param('id') id: string, @Query(new ZodPipe(oneQuery, 'query')) q: z.infer<typeof oneQuery>) {
    return this.views.view(await this.alerts.require(id), q.lang);
  }

  /** The operator's confirmation: only now do commands go out. */
  @Post(':id/activate')
  @HttpCode(200)
  async activate(@Param('id') id: string, @Body(new ZodPipe(activateBody)) body: z.infer<typeof activateBody>, @CurrentPrincipal() who: Principal) {
    const alert = await this.activation.activate(id, body.pattern, who.username);
    return this.views.view(alert);
  }
}
