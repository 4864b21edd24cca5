import { Module } from '@nestjs/common';
import { ConsoleAssets } from './console-assets.service.js';
import { ConsoleController } from './console.controller.js';

/** Serves the operators' console (built into dist/console by `npm run build`) and its map. */
@Module({ providers: [ConsoleAssets], controllers: [ConsoleController] })
export class ConsoleModule {}
