import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { iso } from '../common/time.js';
import { ZodPipe } from '../common/zod-body.js';
import { RegistryService } from '../sirens/registry.service.js';
import type { FaultEntity } from './fault.entity.js';
import { FaultService } from './fault.service.js';

const query = z.object({
  state: z.enum(['active', 'open', 'all']).default('open'),
  sirenId: z.string().max(64).optional(),
  district: z.string().max(32).optional(),
});

export function faultView(f: FaultEntity) {
  return {
    id: f.id,
    sirenId: f.sirenId,
    type: f.type,
    severity: f.severity,
    state: f.state,
    raisedAt: iso(f.raisedAt),
    clearedAt: iso(f.clearedAt),
    ackedAt: iso(f.ackedAt),
    ackedBy: f.ackedBy,
    note: f.note,
    incidentId: f.incidentId,
    shelvedUntil: iso(f.shelvedUntil),
    flapCount: f.flapCount,
    detail: f.detail,
  };
}

@ApiTags('faults')
@ApiBearerAuth()
@Controller('api/faults')
export class FaultsController {
  constructor(
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(RegistryService) private readonly registry: RegistryService,
  ) {}

  @Get()
  async list(@Query(new ZodPipe(query, 'query')) q: z.infer<typeof query>) {
    const sirenIds = q.district ? new Set([...this.registry.all()].filter((s) => s.districtCode === q.district).map((s) => s.id)) : undefined;
    return (await this.faults.list({ state: q.state, sirenId: q.sirenId, sirenIds })).map(faultView);
  }
}
