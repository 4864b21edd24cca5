import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { OpsController } from './ops.controller.js';
import { RequestContextMiddleware } from './request-context.middleware.js';

@Module({ controllers: [OpsController], providers: [RequestContextMiddleware] })
export class OpsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}
