import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { Clock } from './clock.js';
import { IdGenerator } from './ids.js';
import { loadSecretKey, SecretBox } from './secret-box.js';

const secretBox = { provide: SecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecretBox(loadSecretKey(config)) };

@Global()
@Module({ providers: [Clock, IdGenerator, secretBox], exports: [Clock, IdGenerator, SecretBox] })
export class CommonModule {}
