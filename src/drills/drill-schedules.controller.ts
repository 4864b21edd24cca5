import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/decorators.js';
import { MinRole, type Principal } from '../auth/roles.js';
import { iso } from '../common/time.js';
import { ZodPipe } from '../common/zod-body.js';
import type { DrillScheduleEntity } from './drill-schedule.entity.js';
import { DrillScheduler, scheduleSchema, type SchedulePlan } from './drill-scheduler.service.js';

const view = (s: DrillScheduleEntity) => ({ ...s, nextRunAt: iso(s.nextRunAt), lastRunAt: iso(s.lastRunAt), createdAt: iso(s.createdAt) });

/** Repeating drills: e.g. every 18 September 10:00 Asia/Shanghai, or a silent test each first Monday. */
@ApiTags('drills')
@ApiBearerAuth()
@Controller('api/drill-schedules')
export class DrillSchedulesController {
  constructor(@Inject(DrillScheduler) private readonly scheduler: DrillScheduler) {}

  @Post()
  @MinRole('engineer')
  async create(@Body(new ZodPipe(scheduleSchema)) body: SchedulePlan, @CurrentPrincipal() who: Principal) {
    return view(await this.scheduler.create(body, who.username));
  }

  @Get()
  async list() {
    return (await this.scheduler.list()).map(view);
  }

  @Delete(':id')
  @MinRole('engineer')
  async disable(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return view(await this.scheduler.disable(id, who.username));
  }
}
