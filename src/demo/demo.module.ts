import { Module } from '@nestjs/common';
import { SirensModule } from '../sirens/sirens.module.js';
import { DemoService } from './demo.service.js';

/** Only in the zero-setup mode: the demo city and, with --with-sim, simulated sirens. */
@Module({ imports: [SirensModule], providers: [DemoService] })
export class DemoModule {}
