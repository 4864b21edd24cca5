import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { filter, firstValueFrom } from 'rxjs';
import { startSimulation, type SimulationHandle } from '../../devices-sim/index.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { demoCity } from '../protocol/demo-city.js';
import { EmbeddedBroker } from '../mqtt/embedded-broker.service.js';
import { MqttConnection } from '../mqtt/mqtt-connection.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import { demoFaults } from './demo-faults.js';

export const DEMO_CITY_SIZE = 200;
const DEMO_INTERVAL_S = 15;

/** Loads the demo city into an empty registry and, with --with-sim, runs its sirens in-process. */
@Injectable()
export class DemoService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('demo');
  private sim: SimulationHandle | null = null;

  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(MqttConnection) private readonly mqtt: MqttConnection,
    @Inject(EmbeddedBroker) private readonly broker: EmbeddedBroker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.loadCity();
    if (!this.config.withSim) return;
    // Start the sirens once the service listens to the broker, so their births are heard.
    void firstValueFrom(this.mqtt.connected$.pipe(filter(Boolean))).then(() => this.startSimulator());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sim?.stop();
  }

  private async startSimulator(): Promise<void> {
    const url = this.config.MQTT_URL ?? this.broker.url;
    try {
      this.sim = await startSimulation({
        url,
        sirens: demoCity(DEMO_CITY_SIZE),
        faults: demoFaults(),
        intervalS: DEMO_INTERVAL_S,
        timeScale: 0.1,
        topicRoot: this.config.MQTT_TOPIC_ROOT,
      });
      this.log.log(`simulator: ${DEMO_CITY_SIZE} sirens connected to ${url} (faults: 2 offline, a district on battery, an amplifier)`);
    } catch (e) {
      this.log.error(`simulator could not start: ${(e as Error).message}`);
    }
  }

  private async loadCity(): Promise<void> {
    if (this.registry.size > 0) return;
    const rows = demoCity(DEMO_CITY_SIZE).map((row, i) => ({ line: i + 2, row }));
    const result = await this.registry.import(rows, []);
    this.log.log(`demo city loaded: ${result.created} sirens in ${new Set(rows.map((r) => r.row.districtCode)).size} districts (data in ${this.config.DATA_DIR})`);
  }
}
