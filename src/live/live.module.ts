import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module.js';
import { SirensModule } from '../sirens/sirens.module.js';
import { FleetView } from './fleet-view.service.js';
import { LiveController } from './live.controller.js';
import { StreamHub } from './stream-hub.service.js';

@Module({
  imports: [SirensModule, FaultsModule],
  providers: [FleetView, StreamHub],
  controllers: [LiveController],
  exports: [FleetView, StreamHub],
})
export class LiveModule {}
