import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain-error.js';
import { ApiKeysService } from './api-keys.service.js';
import { OWN_SESSION_KEY, type AuthedRequest } from './decorators.js';
import { API_KEY_SCOPE_KEY, hasRole, LOOPBACK_KEY, PUBLIC_KEY, ROLE_KEY, type Principal, type Role } from './roles.js';
import { RateLimit } from './rate-limit.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';

export interface RouteAuth {
  isPublic?: boolean;
  minRole?: Role;
  ownSession?: boolean;
  apiKeyScope?: string;
  allowLoopback?: boolean;
}

const READS = new Set(['GET', 'HEAD']);

/** MinRole() wins; the caller's own session needs any token; otherwise viewer reads, operator writes. */
export function requiredRole(method: string, route: RouteAuth): Role {
  if (route.minRole) return route.minRole;
  if (route.ownSession) return 'viewer';
  return READS.has(method.toUpperCase()) ? 'viewer' : 'operator';
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped form, as Node reports a socket's remote address. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().replace(/^::ffff:/, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function bearerToken(req: AuthedRequest): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m) return m[1];
  // EventSource cannot set headers, so reads may carry the token in the query instead.
  const q = req.query?.token;
  return READS.has(req.method) && typeof q === 'string' && q !== '' ? q : undefined;
}

/**
 * Every route, registered as APP_GUARD. Reads the route's Public / MinRole / AcceptsApiKey /
 * AllowLoopback / OwnSession metadata (handler first, then controller), attaches the Principal (and
 * the token's session) and counts the request against the optional general rate limit.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    private readonly rateLimit: RateLimit,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const meta = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, targets);
    const route: RouteAuth = {
      isPublic: meta<boolean>(PUBLIC_KEY),
      minRole: meta<Role>(ROLE_KEY),
      ownSession: meta<boolean>(OWN_SESSION_KEY),
      apiKeyScope: meta<string>(API_KEY_SCOPE_KEY),
      allowLoopback: meta<boolean>(LOOPBACK_KEY),
    };
    if (ctx.getType() !== 'http') {
      if (route.isPublic) return true;
      throw new DomainError('UNAUTHENTICATED', 'authentication required');
    }
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const source = `address:${req.socket?.remoteAddress ?? 'unknown'}`;
    if (route.isPublic) {
      this.rateLimit.take(source);
      return true;
    }
    const principal = await this.authenticate(req, route);
    this.rateLimit.take(principal.via === 'loopback' ? source : `${principal.via}:${principal.username}`);
    if (principal.via !== 'loopback') {
      const needed = requiredRole(req.method, route);
      if (!hasRole(principal.role, needed)) throw new DomainError('FORBIDDEN', `needs role ${needed} or above`);
    }
    req.principal = principal;
    return true;
  }

  private async authenticate(req: AuthedRequest, route: RouteAuth): Promise<Principal> {
    const token = bearerToken(req);
    if (token) {
      const claims = await this.tokens.verify(token);
      // The stored session and user decide: logout, a password change or disabling the user ends the token.
      const live = await this.sessions.check(claims.sid, claims.username);
      if (!live) throw new DomainError('UNAUTHENTICATED', 'token no longer valid: log in again');
      req.sessionId = claims.sid;
      return { username: live.username, role: live.role, via: 'token' };
    }
    const key = req.headers['x-api-key'];
    if (route.apiKeyScope && typeof key === 'string' && key !== '') {
      const principal = await this.apiKeys.authenticate(key, route.apiKeyScope);
      if (!principal) throw new DomainError('UNAUTHENTICATED', 'invalid API key');
      return principal;
    }
    // A request forwarded by a standby instance (src/cluster) comes over loopback but is not local.
    if (route.allowLoopback && isLoopback(req.socket?.remoteAddress) && req.headers['x-forwarded-for'] === undefined) {
      return { username: 'loopback', role: 'viewer', via: 'loopback' };
    }
    throw new DomainError('UNAUTHENTICATED', 'authentication required: Authorization: Bearer <token>');
  }
}
