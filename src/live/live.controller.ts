import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ZodPipe } from '../common/zod-body.js';
import { HEALTHS } from '../faults/fault-types.js';
import { FaultService } from '../faults/fault.service.js';
import { faultView } from '../faults/fault-view.js';
import { RegistryService } from '../sirens/registry.service.js';
import { SirenStateService } from '../sirens/siren-state.service.js';
import { iso } from '../common/time.js';
import { FleetView } from './fleet-view.service.js';
import { writeList } from './list-writer.js';
import { StreamHub } from './stream-hub.service.js';

const listQuery = z.object({ district: z.string().max(32).optional(), health: z.enum(HEALTHS).optional(), capability: z.string().max(32).optional() });

/** Reads of the live picture: sirens with health, one siren in detail, the summary, the event stream. */
@ApiTags('live')
@ApiBearerAuth()
@Controller('api')
export class LiveController {
  constructor(
    @Inject(FleetView) private readonly fleet: FleetView,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(SirenStateService) private readonly state: SirenStateService,
    @Inject(FaultService) private readonly faults: FaultService,
    @Inject(StreamHub) private readonly hub: StreamHub,
  ) {}

  @Get('sirens')
  async list(@Query(new ZodPipe(listQuery, 'query')) q: z.infer<typeof listQuery>, @Res() res: Response): Promise<void> {
    // Streamed (list-writer.ts); Express's send would also hash the whole body (28 MB for 100 000 sirens) for an ETag.
    await writeList(this.fleet.listItems(q), res);
  }

  @Get('sirens/:id')
  async one(@Param('id') id: string) {
    const siren = this.registry.require(id);
    const live = this.state.get(id);
    const faults = await this.faults.list({ state: 'all', sirenId: id });
    return {
      ...this.fleet.item(siren),
      model: live?.model ?? siren.model,
      fw: live?.fw ?? null,
      announcedCapabilities: live?.capabilities ?? null,
      intervalS: live?.intervalS ?? null,
      soundThresholdDb: siren.soundThresholdDb,
      commsPath: live?.status?.commsPath ?? siren.commsPath,
      maintenance: siren.maintenance,
      maintenanceNote: siren.maintenanceNote,
      bootId: live?.seq.bootId ?? null,
      lastSeq: live && live.seq.lastSeq >= 0 ? live.seq.lastSeq : null,
      offlineSince: iso(live?.offlineSince),
      clockSkewS: live?.clockSkewS ?? null,
      status: live?.status ?? null,
      statusReceivedAt: iso(live?.statusReceivedAt),
      recentEvents: this.state.recentEvents(id),
      faults: faults.slice(0, 50).map(faultView),
    };
  }

  @Get('summary')
  summary() {
    return this.fleet.summary();
  }

  /** Server-sent events: siren, fault, summary (token by header or ?token=). */
  @Get('stream')
  stream(@Req() req: Request, @Res() res: Response): void {
    this.hub.attach(req, res);
  }
}
