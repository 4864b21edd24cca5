import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FakeClock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { loadConfig } from '../config/load-config.js';
import { MIGRATIONS } from '../database/migrations.js';
import { ApiKeysService } from './api-keys.service.js';
import { AppSecretsService } from './app-secrets.service.js';
import { AuditService } from './audit.service.js';
import { ApiKeyEntity, AppSecretEntity, AUTH_ENTITIES, AuditEntryEntity, SessionEntity, UserEntity } from './auth.entities.js';
import { AuthGuard, isLoopback, requiredRole } from './auth.guard.js';
import { OwnSession, type AuthedRequest } from './decorators.js';
import { AcceptsApiKey, AllowLoopback, MinRole, Public, type Role } from './roles.js';
import { RateLimit } from './rate-limit.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';

describe('requiredRole', () => {
  it('defaults to viewer for reads and operator for writes', () => {
    expect(requiredRole('GET', {})).toBe('viewer');
    expect(requiredRole('HEAD', {})).toBe('viewer');
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(requiredRole(m, {})).toBe('operator');
  });
  it('takes MinRole over the default, and the own session needs any token', () => {
    expect(requiredRole('GET', { minRole: 'admin' })).toBe('admin');
    expect(requiredRole('POST', { minRole: 'viewer' })).toBe('viewer');
    expect(requiredRole('POST', { ownSession: true })).toBe('viewer');
  });
});

describe('isLoopback', () => {
  it('knows 127.0.0.0/8, ::1 and the mapped form only', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9']) expect(isLoopback(a)).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '128.0.0.1', '::2', '::ffff:10.0.0.1', '1127.0.0.1', 'fe80::1']) expect(isLoopback(a)).toBe(false);
  });
});

class Routes {
  @Public() health() {}
  read() {}
  @MinRole('engineer') plan() {}
  @AllowLoopback() metrics() {}
  @AcceptsApiKey('alerts') alerts() {}
}
@OwnSession()
class Session {
  logout() {}
}
@MinRole('admin')
class Admin {
  @MinRole('viewer') openToAll() {}
  users() {}
}

describe('AuthGuard', () => {
  let dir: string;
  let ds: DataSource;
  let clock: FakeClock;
  let tokens: TokenService;
  let sessions: SessionsService;
  let keys: ApiKeysService;
  let guard: AuthGuard;
  const tokenOf: Partial<Record<Role, string>> = {};

  interface Call {
    method?: string;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    address?: string;
  }
  const run = async (cls: object, handler: string, call: Call = {}): Promise<string | AuthedRequest> => {
    const req = {
      method: call.method ?? 'GET',
      headers: call.headers ?? {},
      query: call.query ?? {},
      socket: { remoteAddress: call.address ?? '10.1.1.1' },
    } as unknown as AuthedRequest;
    const ctx = {
      getHandler: () => (cls as { prototype: Record<string, unknown> }).prototype[handler],
      getClass: () => cls,
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req }),
    } as unknown as ExecutionContext;
    try {
      expect(await guard.canActivate(ctx)).toBe(true);
      return req;
    } catch (e) {
      if (e instanceof DomainError) return e.code;
      throw e;
    }
  };
  const bearer = (role: Role) => ({ authorization: `Bearer ${tokenOf[role]}` });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sirenwatch-guard-'));
    ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), entities: AUTH_ENTITIES, migrations: MIGRATIONS, migrationsRun: true });
    await ds.initialize();
    clock = new FakeClock();
    const config = loadConfig({ RATE_LIMIT_PER_MIN: '20' });
    const audit = new AuditService(ds.getRepository(AuditEntryEntity), clock);
    keys = new ApiKeysService(ds.getRepository(ApiKeyEntity), audit, new IdGenerator(), clock);
    tokens = new TokenService(new JwtService(), new AppSecretsService(ds.getRepository(AppSecretEntity), clock), clock);
    sessions = new SessionsService(ds.getRepository(SessionEntity), ds.getRepository(UserEntity), clock, new IdGenerator(), config);
    guard = new AuthGuard(new Reflector(), tokens, sessions, keys, new RateLimit(clock, config));
    for (const role of ['viewer', 'operator', 'engineer', 'admin'] as const) {
      await ds.getRepository(UserEntity).insert({ username: role, passwordHash: 'x', role, createdAt: clock.now(), disabled: false });
      const { sid, expiresAt } = await sessions.open(role);
      tokenOf[role] = (await tokens.issue({ username: role, role, sid }, expiresAt)).token;
    }
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets Public routes through without a token', async () => {
    expect(typeof (await run(Routes, 'health', { method: 'POST' }))).toBe('object');
  });

  it('needs a token elsewhere and attaches the principal', async () => {
    expect(await run(Routes, 'read')).toBe('UNAUTHENTICATED');
    expect(await run(Routes, 'read', { headers: { authorization: 'Bearer nonsense' } })).toBe('UNAUTHENTICATED');
    expect(await run(Routes, 'read', { headers: { authorization: `Basic ${tokenOf.admin}` } })).toBe('UNAUTHENTICATED');
    const req = (await run(Routes, 'read', { headers: bearer('viewer') })) as AuthedRequest;
    expect(req.principal).toEqual({ username: 'viewer', role: 'viewer', via: 'token' });
  });

  it('takes ?token= on reads only', async () => {
    expect(typeof (await run(Routes, 'read', { query: { token: tokenOf.viewer! } }))).toBe('object');
    expect(await run(Routes, 'read', { method: 'POST', query: { token: tokenOf.admin! } })).toBe('UNAUTHENTICATED');
  });

  it('applies the default roles by method', async () => {
    expect(await run(Routes, 'read', { method: 'POST', headers: bearer('viewer') })).toBe('FORBIDDEN');
    expect(typeof (await run(Routes, 'read', { method: 'DELETE', headers: bearer('operator') }))).toBe('object');
  });

  it('applies MinRole from the handler over the controller', async () => {
    expect(await run(Routes, 'plan', { headers: bearer('operator') })).toBe('FORBIDDEN');
    expect(typeof (await run(Routes, 'plan', { method: 'POST', headers: bearer('engineer') }))).toBe('object');
    expect(await run(Admin, 'users', { headers: bearer('engineer') })).toBe('FORBIDDEN');
    expect(typeof (await run(Admin, 'users', { method: 'POST', headers: bearer('admin') }))).toBe('object');
    expect(typeof (await run(Admin, 'openToAll', { headers: bearer('viewer') }))).toBe('object');
  });

  it('lets any valid token act on its own session', async () => {
    expect(typeof (await run(Session, 'logout', { method: 'POST', headers: bearer('viewer') }))).toBe('object');
    expect(await run(Session, 'logout', { method: 'POST' })).toBe('UNAUTHENTICATED');
  });

  it('answers loopback callers without a token only where AllowLoopback is set', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const req = (await run(Routes, 'metrics', { address })) as AuthedRequest;
      expect(req.principal).toEqual({ username: 'loopback', role: 'viewer', via: 'loopback' });
    }
    expect(await run(Routes, 'metrics', { address: '192.168.1.5' })).toBe('UNAUTHENTICATED');
    expect(await run(Routes, 'read', { address: '127.0.0.1' })).toBe('UNAUTHENTICATED');
    // Forwarded by a standby instance on the same host: loopback on the socket, but not a local caller.
    expect(await run(Routes, 'metrics', { address: '127.0.0.1', headers: { 'x-forwarded-for': '192.168.1.5' } })).toBe('UNAUTHENTICATED');
    expect(((await run(Routes, 'metrics', { headers: bearer('viewer') })) as AuthedRequest).principal?.via).toBe('token');
  });

  it('accepts an X-Api-Key of the scope only where AcceptsApiKey is set, until revoked', async () => {
    const { id, key } = await keys.create('cap-feed', 'alerts', 'admin');
    const req = (await run(Routes, 'alerts', { method: 'POST', headers: { 'x-api-key': key } })) as AuthedRequest;
    expect(req.principal).toEqual({ username: 'apikey:cap-feed', role: 'operator', via: 'api-key' });
    expect(await run(Routes, 'read', { headers: { 'x-api-key': key } })).toBe('UNAUTHENTICATED');
    expect(await run(Routes, 'alerts', { method: 'POST', headers: { 'x-api-key': 'sw_wrong' } })).toBe('UNAUTHENTICATED');
    await keys.revoke(id, 'admin');
    expect(await run(Routes, 'alerts', { method: 'POST', headers: { 'x-api-key': key } })).toBe('UNAUTHENTICATED');
  });

  it('refuses expired tokens and disabled users', async () => {
    await ds.getRepository(UserEntity).update({ username: 'operator' }, { disabled: true });
    expect(await run(Routes, 'read', { headers: bearer('operator') })).toBe('UNAUTHENTICATED');
    clock.advance(loadConfig({}).JWT_TTL_S * 1000);
    expect(await run(Routes, 'read', { headers: bearer('viewer') })).toBe('UNAUTHENTICATED');
  });

  it('refuses a revoked session and takes the role as stored now, and records the session on the request', async () => {
    const req = (await run(Routes, 'read', { headers: bearer('engineer') })) as AuthedRequest;
    expect(req.sessionId).toEqual(expect.any(String));
    await ds.getRepository(UserEntity).update({ username: 'engineer' }, { role: 'viewer' });
    sessions.forget('engineer');
    expect(await run(Routes, 'plan', { method: 'POST', headers: bearer('engineer') })).toBe('FORBIDDEN');
    await sessions.revoke(req.sessionId!, 'logout');
    expect(await run(Routes, 'read', { headers: bearer('engineer') })).toBe('UNAUTHENTICATED');
    expect(typeof (await run(Routes, 'read', { headers: bearer('viewer') }))).toBe('object');
  });

  it('limits each caller to RATE_LIMIT_PER_MIN requests per minute, public routes by address', async () => {
    for (let i = 0; i < 20; i++) expect(typeof (await run(Routes, 'read', { headers: bearer('viewer') }))).toBe('object');
    expect(await run(Routes, 'read', { headers: bearer('viewer') })).toBe('TOO_MANY');
    expect(typeof (await run(Routes, 'read', { headers: bearer('admin') }))).toBe('object');
    for (let i = 0; i < 20; i++) await run(Routes, 'health', { address: '10.1.1.1' });
    expect(await run(Routes, 'health', { address: '10.1.1.1' })).toBe('TOO_MANY');
    expect(typeof (await run(Routes, 'health', { address: '10.1.1.2' }))).toBe('object');
    clock.advance(60_000);
    expect(typeof (await run(Routes, 'read', { headers: bearer('viewer') }))).toBe('object');
  });
});
