import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/decorators.js';
import type { Principal } from '../auth/roles.js';
import { notFound } from '../common/domain-error.js';
import { ZodPipe } from '../common/zod-body.js';
import { FaultActions } from './fault-actions.service.js';
import { incidentView } from './fault-view.js';
import { IncidentService } from './incident.service.js';

const query = z.object({ state: z.enum(['open', 'all']).default('open') });
const ackBody = z.object({ note: z.string().max(2000).nullable().optional() });

@ApiTags('faults')
@ApiBearerAuth()
@Controller('api/incidents')
export class IncidentsController {
  constructor(
    @Inject(IncidentService) private readonly incidents: IncidentService,
    @Inject(FaultActions) private readonly actions: FaultActions,
  ) {}

  @Get()
  async list(@Query(new ZodPipe(query, 'query')) q: z.infer<typeof query>) {
    return (await this.incidents.list(q.state)).map(incidentView);
  }

  /** Acknowledges the incident and every fault in it, in one audited action. */
  @Post(':id/ack')
  @HttpCode(200)
  async ack(@Param('id') id: string, @Body(new ZodPipe(ackBody)) body: z.infer<typeof ackBody>, @CurrentPrincipal() who: Principal) {
    const incident = await this.incidents.find(id);
    if (!incident) throw notFound(`incident ${id}`);
    const acked = await this.actions.acknowledgeAll(incident.faultIds, who.username, body.note ?? null, id);
    this.incidents.markAcknowledged(incident, who.username);
    return { ...incidentView(incident), faultsAcknowledged: acked };
  }
}
