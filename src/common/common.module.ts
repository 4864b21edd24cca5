import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { IdGenerator } from './ids.js';

@Global()
@Module({ providers: [Clock, IdGenerator], exports: [Clock, IdGenerator] })
export class CommonModule {}
