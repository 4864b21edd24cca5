import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../common/zod-body.js';
import { RegistryService } from '../sirens/registry.service.js';
import { HistoryService } from './history.service.js';

const query = z
  .object({
    from: z.iso.datetime({ offset: true }).transform(Date.parse).optional(),
    to: z.iso.datetime({ offset: true }).transform(Date.parse).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

@ApiTags('sirens')
@ApiBearerAuth()
@Controller('api/sirens')
export class HistoryController {
  constructor(
    @Inject(HistoryService) private readonly history: HistoryService,
    @Inject(RegistryService) private readonly registry: RegistryService,
  ) {}

  @Get(':id/history')
  points(@Param('id') id: string, @Query(new ZodPipe(query, 'query')) q: z.infer<typeof query>) {
    this.registry.require(id);
    return this.history.points(id, q);
  }
}
