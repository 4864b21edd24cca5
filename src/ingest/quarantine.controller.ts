import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { iso } from '../common/time.js';
import { ZodPipe } from '../common/zod-body.js';
import { QuarantineService } from './quarantine.service.js';

const query = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), reason: z.string().max(32).optional() });

/** What ingest refused, newest first, for operators and engineers to look into. */
@ApiTags('quarantine')
@Controller('api/quarantine')
export class QuarantineController {
  constructor(@Inject(QuarantineService) private readonly quarantine: QuarantineService) {}

  @Get()
  async list(@Query(new ZodPipe(query, 'query')) q: z.infer<typeof query>) {
    const rows = await this.quarantine.recent(q.limit, q.reason);
    return rows.map((r) => ({ ...r, receivedAt: iso(r.receivedAt) }));
  }
}
