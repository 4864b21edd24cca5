import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { RegistryService } from './registry.service.js';
import { SirenStateService } from './siren-state.service.js';
import { MaintenancePeriodEntity, SirenEntity, SirenStateEntity } from './siren.entity.js';
import { SirensController } from './sirens.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([SirenEntity, SirenStateEntity, MaintenancePeriodEntity]), AuthModule],
  providers: [RegistryService, SirenStateService],
  controllers: [SirensController],
  exports: [RegistryService, SirenStateService],
})
export class SirensModule {}
