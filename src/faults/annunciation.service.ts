import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { IncidentService } from './incident.service.js';

const WINDOW_MS = 10 * 60_000;

/**
 * Alarm-management figures (ISA-18.2): how many lines the operator was given in the last 10 minutes,
 * and how long that rate was a flood (more than FLOOD_ANNUNCIATIONS in 10 minutes).
 */
@Injectable()
export class AnnunciationStats implements OnModuleInit, OnModuleDestroy {
  private times: number[] = [];
  private lastTick = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(IncidentService) private readonly incidents: IncidentService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.lastTick = this.clock.now();
    this.incidents.annunciations$.subscribe((a) => {
      this.times.push(this.clock.now());
      this.metrics.annunciations.inc({ kind: a.kind });
    });
    this.timer = setInterval(() => this.tick(), 1_000);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Annunciations within the last 10 minutes. */
  recent(): number {
    const now = this.clock.now();
    this.times = this.times.filter((t) => t > now - WINDOW_MS);
    return this.times.length;
  }

  private tick(): void {
    const now = this.clock.now();
    const n = this.recent();
    this.metrics.annunciations10m.set(n);
    if (n > this.config.FLOOD_ANNUNCIATIONS) this.metrics.floodSeconds.inc((now - this.lastTick) / 1000);
    this.lastTick = now;
  }
}
