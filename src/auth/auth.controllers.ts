import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod-body.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuditService } from './audit.service.js';
import { auditQuerySchema, loginSchema, newApiKeySchema, newUserSchema, passwordChangeSchema, userPatchSchema } from './auth.schemas.js';
import { AuthService } from './auth.service.js';
import { CurrentPrincipal, CurrentSession, OwnSession, type AuthedRequest } from './decorators.js';
import { MinRole, Public, type Principal } from './roles.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@ApiBearerAuth()
@OwnSession()
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body(new ZodPipe(loginSchema)) body: z.infer<typeof loginSchema>, @Req() req: AuthedRequest) {
    return this.auth.login(body.username, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  /** Ends this token's session. */
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal, @CurrentSession() sid: string): Promise<void> {
    await this.auth.logout(principal.username, sid);
  }

  /** Changes the caller's own password; the caller's other sessions end, this one goes on. */
  @Post('password')
  @HttpCode(200)
  password(@Body(new ZodPipe(passwordChangeSchema)) body: z.infer<typeof passwordChangeSchema>, @CurrentPrincipal() principal: Principal, @CurrentSession() sid: string) {
    return this.auth.changePassword(principal.username, sid, body.currentPassword, body.newPassword);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@MinRole('admin')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@Body(new ZodPipe(newUserSchema)) body: z.infer<typeof newUserSchema>, @CurrentPrincipal() principal: Principal) {
    return this.users.create(body, principal.username);
  }

  @Get()
  list() {
    return this.users.list();
  }

  /** `{ disabled }` and/or `{ role }`; disabling ends the user's sessions at once. */
  @Patch(':username')
  update(@Param('username') username: string, @Body(new ZodPipe(userPatchSchema)) body: z.infer<typeof userPatchSchema>, @CurrentPrincipal() principal: Principal) {
    return this.users.update(username, body, principal.username);
  }
}

@ApiTags('api-keys')
@ApiBearerAuth()
@MinRole('admin')
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  create(@Body(new ZodPipe(newApiKeySchema)) body: z.infer<typeof newApiKeySchema>, @CurrentPrincipal() principal: Principal) {
    return this.keys.create(body.name, body.scope, principal.username);
  }

  @Get()
  list() {
    return this.keys.list();
  }

  @Delete(':id')
  revoke(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.keys.revoke(id, principal.username);
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@MinRole('operator')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query(new ZodPipe(auditQuerySchema, 'query')) query: z.infer<typeof auditQuerySchema>) {
    return this.audit.query(query);
  }
}
