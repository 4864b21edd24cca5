import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/decorators.js';
import type { Principal } from '../auth/roles.js';
import { ZodPipe } from '../common/zod-body.js';
import { RegistryService } from '../sirens/registry.service.js';
import { FaultActions } from './fault-actions.service.js';
import { FaultService } from './fault.service.js';
import { faultView } from './fault-view.js';

const query = z.object({
  state: z.enum(['active', 'open', 'all']).default('open'),
  sirenId: z.string().max(64).optional(),
  district: z.string().max(32).optional(),
  /** Only what the console's alarm list shows: not shelved, not inside an incident. */
  annunciated: z.enum(['true', 'false']).optional(),
});
const note = z.string().max(2000).nullable().optional();
const ackBody = z.object({ note });
const shelveBody = z.object({ minutes: z.number().positive().max(7 * 24 * 60), note });

/** The operators' alarm list and what they do to it (operator role for every write). */
@ApiTags('faults')
@ApiBearerAuth()
@Controller('api/faults')
export class FaultsController {
  constructor(
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(FaultActions) private readonly actions: FaultActions,
    @Inject(RegistryService) private readonly registry: RegistryService,
  ) {}

  @Get()
  async list(@Query(new ZodPipe(query, 'query')) q: z.infer<typeof query>) {
    const sirenIds = q.district ? new Set([...this.registry.all()].filter((s) => s.districtCode === q.district).map((s) => s.id)) : undefined;
    const views = (await this.faults.list({ state: q.state, sirenId: q.sirenId, sirenIds })).map((f) => faultView(f));
    return q.annunciated === undefined ? views : views.filter((v) => v.annunciated === (q.annunciated === 'true'));
  }

  @Post(':id/ack')
  @HttpCode(200)
  async ack(@Param('id') id: string, @Body(new ZodPipe(ackBody)) body: z.infer<typeof ackBody>, @CurrentPrincipal() who: Principal) {
    return faultView(await this.actions.acknowledge(id, who.username, body.note ?? null));
  }

  @Post(':id/shelve')
  @HttpCode(200)
  async shelve(@Param('id') id: string, @Body(new ZodPipe(shelveBody)) body: z.infer<typeof shelveBody>, @CurrentPrincipal() who: Principal) {
    return faultView(await this.actions.shelve(id, body.minutes, who.username, body.note ?? null));
  }

  @Delete(':id/shelve')
  async unshelve(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return faultView(await this.actions.unshelve(id, who.username));
  }

  /** For faults no siren state clears (tamper, unregistered device). */
  @Post(':id/clear')
  @HttpCode(200)
  async clear(@Param('id') id: string, @Body(new ZodPipe(ackBody)) body: z.infer<typeof ackBody>, @CurrentPrincipal() who: Principal) {
    return faultView(await this.actions.clearByHand(id, who.username, body.note ?? null));
  }
}
