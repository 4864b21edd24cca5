import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, Not, IsNull, type Repository } from 'typeorm';
import { z } from 'zod';
import { AuditService } from '../auth/audit.service.js';
import { Clock } from '../common/clock.js';
import { invalid, notFound } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { isTimeZone } from '../common/local-time.js';
import { CronError, nextRun, parseCron } from './cron.js';
import { DrillScheduleEntity } from './drill-schedule.entity.js';
import { DrillEntity } from './drill.entity.js';
import { DrillService, planSchema } from './drill.service.js';

export const scheduleSchema = z.object({ plan: planSchema, cron: z.string().min(9).max(100), timeZone: z.string().min(1).max(64).default('Asia/Shanghai') });
export type SchedulePlan = z.infer<typeof scheduleSchema>;

const TICK_MS = 5_000;

/**
 * Starts drills when they are due: planned drills with a `scheduledAt`, and repeating plans (cron in a
 * time zone). Each due run is claimed with a conditional update, so with several service instances
 * on one database exactly one of them starts it.
 */
@Injectable()
export class DrillScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('drill-schedules');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectRepository(DrillScheduleEntity) private readonly schedules: Repository<DrillScheduleEntity>,
    @InjectRepository(DrillEntity) private readonly drills: Repository<DrillEntity>,
    @Inject(DrillService) private readonly drillService: DrillService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick().catch((e: Error) => this.log.error(`schedule check failed: ${e.message}`)), TICK_MS);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async create(s: SchedulePlan, actor: string): Promise<DrillScheduleEntity> {
    let next: number | null;
    try {
      if (!isTimeZone(s.timeZone)) throw invalid(`timeZone: unknown time zone "${s.timeZone}"`);
      next = nextRun(parseCron(s.cron), s.timeZone, this.clock.now());
    } catch (e) {
      if (e instanceof CronError) throw invalid(`cron: ${e.message}`);
      throw e;
    }
    if (next === null) throw invalid('cron: never matches within five years');
    const row: DrillScheduleEntity = { id: this.ids.next(), name: s.plan.name, plan: s.plan, cron: s.cron, timeZone: s.timeZone, nextRunAt: next, lastRunAt: null, lastDrillId: null, enabled: true, createdBy: actor, createdAt: this.clock.now() };
    await this.schedules.insert(row);
    await this.audit.record(actor, 'drill.schedule', row.id, { cron: s.cron, timeZone: s.timeZone, name: s.plan.name });
    return row;
  }

  list(): Promise<DrillScheduleEntity[]> {
    return this.schedules.find({ order: { createdAt: 'DESC' } });
  }

  async disable(id: string, actor: string): Promise<DrillScheduleEntity> {
    const row = await this.schedules.findOneBy({ id });
    if (!row) throw notFound(`drill schedule ${id}`);
    await this.schedules.update({ id }, { enabled: false, nextRunAt: null });
    await this.audit.record(actor, 'drill.unschedule', id, {});
    return { ...row, enabled: false, nextRunAt: null };
  }

  /** One pass: due one-off drills, then due repeating plans. Public for tests. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const d of await this.drills.find({ where: { state: 'planned', scheduledAt: LessThanOrEqual(now) } })) {
      const claimed = await this.drills.update({ id: d.id, state: 'planned', scheduledAt: d.scheduledAt! }, { scheduledAt: null });
      if (claimed.affected === 1) await this.drillService.start(d.id, d.createdBy);
    }
    for (const s of await this.schedules.find({ where: { enabled: true, nextRunAt: Not(IsNull()) } })) {
      if (s.nextRunAt! > now) continue;
      const next = nextRun(parseCron(s.cron), s.timeZone, now);
      const claimed = await this.schedules.update({ id: s.id, nextRunAt: s.nextRunAt! }, { nextRunAt: next, lastRunAt: now });
      if (claimed.affected !== 1) continue;
      const stamp = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
      const drill = await this.drillService.plan({ ...s.plan, name: `${s.plan.name} (${stamp} UTC)`, scheduledAt: null }, s.createdBy);
      await this.schedules.update({ id: s.id }, { lastDrillId: drill.id });
      await this.drillService.start(drill.id, s.createdBy);
      this.log.log(`schedule ${s.id} started drill ${drill.id}`);
    }
  }
}
