import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { demoCity } from '../protocol/demo-city.js';
import { RegistryService } from '../sirens/registry.service.js';

export const DEMO_CITY_SIZE = 200;

/** Loads the demo city into an empty registry so a newcomer sees a network at once. */
@Injectable()
export class DemoService implements OnApplicationBootstrap {
  private readonly log = new Logger('demo');

  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.registry.size > 0) return;
    const rows = demoCity(DEMO_CITY_SIZE).map((row, i) => ({ line: i + 2, row }));
    const result = await this.registry.import(rows, []);
    this.log.log(`demo city loaded: ${result.created} sirens in ${new Set(rows.map((r) => r.row.districtCode)).size} districts (data in ${this.config.DATA_DIR})`);
  }
}
