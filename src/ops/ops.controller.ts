import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { AllowLoopback, MinRole, Public } from '../auth/roles.js';
import { withTimeout } from '../common/with-timeout.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { MqttConnection } from '../mqtt/mqtt-connection.service.js';
import { WriteBehind } from '../database/write-behind.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

/** Liveness for load balancers and Prometheus. */
@ApiTags('ops')
@Controller()
export class OpsController {
  constructor(
    @Inject(MqttConnection) private readonly mqtt: MqttConnection,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(WriteBehind) private readonly writeBehind: WriteBehind,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('api/health')
  @Public()
  async health(@Res({ passthrough: true }) res: Response) {
    const mqtt = this.mqtt.connected$.value ? 'up' : 'down';
    const db = (await this.dbUp()) ? 'up' : 'down';
    const status = mqtt === 'up' && db === 'up' ? 'ok' : 'degraded';
    res.status(status === 'ok' ? 200 : 503);
    // In a cluster, only the leader runs this service (standbys answer with role "standby": src/cluster).
    return this.config.CLUSTER ? { status, mqtt, db, role: 'leader' } : { status, mqtt, db };
  }

  @Get('metrics')
  @AllowLoopback()
  @MinRole('viewer')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  private async dbUp(): Promise<boolean> {
    if (this.writeBehind.consecutiveFailures > 2) return false;
    // A database behind a dead link (no reset, no answer) counts as down within 2 s: health must answer.
    try {
      return await withTimeout(this.db.query('select 1').then(() => true), 2_000, false);
    } catch {
      return false;
    }
  }
}
