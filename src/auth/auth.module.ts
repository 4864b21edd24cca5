import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysService } from './api-keys.service.js';
import { AppSecretsService } from './app-secrets.service.js';
import { AuditService } from './audit.service.js';
import { ApiKeysController, AuditController, AuthController, UsersController } from './auth.controllers.js';
import { AUTH_ENTITIES } from './auth.entities.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { RateLimit } from './rate-limit.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';
import { UsersService } from './users.service.js';

/** Users, tokens, API keys and the audit log; its AuthGuard protects every route of the app. */
@Module({
  // The signing key lives in the database (AppSecretsService) and is passed per call, not here.
  imports: [TypeOrmModule.forFeature(AUTH_ENTITIES), JwtModule.register({})],
  controllers: [AuthController, UsersController, ApiKeysController, AuditController],
  // Clock and IdGenerator come from the global CommonModule.
  providers: [
    AppSecretsService,
    AuditService,
    UsersService,
    ApiKeysService,
    TokenService,
    SessionsService,
    RateLimit,
    AuthService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuditService, UsersService, TokenService],
})
export class AuthModule {}
