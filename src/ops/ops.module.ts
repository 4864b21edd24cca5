import { Module } from '@nestjs/common';
import { OpsController } from './ops.controller.js';
import { PlaceholderController } from './placeholder.controller.js';

@Module({ controllers: [OpsController, PlaceholderController] })
export class OpsModule {}
