import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CommonModule } from './common/common.module.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console/console.module.js';
import type { AppConfig } from './config/config.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { DrillsModule } from './drills/drills.module.js';
import { FaultsModule } from './faults/faults.module.js';
import { HistoryModule } from './history/history.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MqttModule } from './mqtt/mqtt.module.js';
import { OpsModule } from './ops/ops.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SirensModule } from './sirens/sirens.module.js';
import { VoiceModule } from './voice/voice.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule,
        MetricsModule,
        MqttModule,
        AuthModule,
        SirensModule,
        IngestModule,
        FaultsModule,
        HistoryModule,
        LiveModule,
        DrillsModule,
        AlertsModule,
        ReportsModule,
        VoiceModule,
        OpsModule,
        ConsoleModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
