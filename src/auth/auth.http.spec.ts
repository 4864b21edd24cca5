import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// supertest's index pulls in its cookie helpers, which need the undeclared `should` package.
import TestAgent from 'supertest/lib/agent.js';
import { Clock, FakeClock } from '../common/clock.js';
import { CommonModule } from '../common/common.module.js';
import { HttpErrorFilter } from '../common/http-error.filter.js';
import { ConfigModule } from '../config/config.module.js';
import { loadConfig } from '../config/load-config.js';
import { MIGRATIONS } from '../database/migrations.js';
import { AuditService } from './audit.service.js';
import { AuthModule } from './auth.module.js';
import { CurrentPrincipal } from './decorators.js';
import { AllowLoopback, type Principal } from './roles.js';

/** Stands in for another module's routes. */
@Controller('api/probe')
class ProbeController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  read(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Post()
  async write(@CurrentPrincipal() principal: Principal) {
    await this.audit.record(principal.username, 'probe.write', null);
    return { ok: true };
  }

  @AllowLoopback()
  @Get('metrics')
  metrics(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}

describe('auth over HTTP', () => {
  const clock = new FakeClock();
  const dir = mkdtempSync(join(tmpdir(), 'sirenwatch-http-'));
  let app: INestApplication;
  let http: TestAgent;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    const config = loadConfig({ ADMIN_PASSWORD: 'admin-pass-1', LOGIN_MAX_FAILURES: '3' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), migrations: MIGRATIONS, migrationsRun: true, autoLoadEntities: true }),
        AuthModule,
      ],
      controllers: [ProbeController],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    await app.init();
    http = new TestAgent(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs the first admin in and tells who is calling', async () => {
    const res = await http.post('/api/auth/login').send({ username: 'admin', password: 'admin-pass-1' }).expect(200);
    expect(res.body).toEqual({ token: expect.any(String), role: 'admin', expiresAt: expect.any(String) });
    tokens.admin = res.body.token;
    await http.get('/api/auth/me').set(auth('admin')).expect(200, { username: 'admin', role: 'admin', via: 'token' });
    await http.get('/api/auth/me').expect(401);
  });

  it('lets the admin create users, refusing duplicates and bad input', async () => {
    await http.post('/api/users').set(auth('admin')).send({ username: 'vic', password: 'viewer-pass-1', role: 'viewer' }).expect(201);
    await http.post('/api/users').set(auth('admin')).send({ username: 'olga', password: 'operator-pass', role: 'operator' }).expect(201);
    const dup = await http.post('/api/users').set(auth('admin')).send({ username: 'vic', password: 'viewer-pass-1', role: 'viewer' }).expect(409);
    expect(dup.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringContaining('vic') });
    const bad = await http.post('/api/users').set(auth('admin')).send({ username: 'bad name', password: 'short', role: 'root' }).expect(400);
    expect(bad.body.message).toMatch(/username/);
    for (const [password, why] of [['short-pw', 'must be at least 12 characters'], ['Password1234', 'is too common'], ['WeakUser1234', 'must not be the username']]) {
      const weak = await http.post('/api/users').set(auth('admin')).send({ username: 'weakuser1234', password, role: 'viewer' }).expect(400);
      expect(weak.body.message).toContain(`body: password: ${why}`);
    }
    const list = await http.get('/api/users').set(auth('admin')).expect(200);
    expect(list.body.map((u: { username: string }) => u.username)).toEqual(['admin', 'olga', 'vic']);
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
    for (const who of ['vic', 'olga']) {
      const res = await http.post('/api/auth/login').send({ username: who, password: who === 'vic' ? 'viewer-pass-1' : 'operator-pass' }).expect(200);
      tokens[who] = res.body.token;
    }
  });

  it('enforces roles: 401 without a token, 403 below the needed role', async () => {
    const res = await http.get('/api/probe').expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    await http.get('/api/probe').set(auth('vic')).expect(200, { username: 'vic', role: 'viewer', via: 'token' });
    await http.get('/api/probe').query({ token: tokens.vic }).expect(200);
    await http.post('/api/probe').set(auth('vic')).expect(403);
    await http.post('/api/probe').set(auth('olga')).expect(201);
    await http.get('/api/users').set(auth('olga')).expect(403);
    await http.get('/api/audit').set(auth('vic')).expect(403);
    await http.get('/api/probe/metrics').expect(200, { username: 'loopback', role: 'viewer', via: 'loopback' });
  });

  it('manages API keys without ever showing a hash again', async () => {
    await http.post('/api/api-keys').set(auth('olga')).send({ name: 'feed', scope: 'alerts' }).expect(403);
    await http.post('/api/api-keys').set(auth('admin')).send({ name: 'feed', scope: 'other' }).expect(400);
    const created = await http.post('/api/api-keys').set(auth('admin')).send({ name: 'feed', scope: 'alerts' }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^sw_/) });
    const list = await http.get('/api/api-keys').set(auth('admin')).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'feed', scope: 'alerts', revokedAt: null })]);
    expect(Object.keys(list.body[0])).not.toContain('keyHash');
    const revoked = await http.delete(`/api/api-keys/${created.body.id}`).set(auth('admin')).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await http.delete('/api/api-keys/nope').set(auth('admin')).expect(404);
  });

  it('throttles failed logins with 429, then lets the right password in after the window', async () => {
    for (let i = 0; i < 3; i++) await http.post('/api/auth/login').send({ username: 'vic', password: 'wrong-pass' }).expect(401);
    await http.post('/api/auth/login').send({ username: 'vic', password: 'viewer-pass-1' }).expect(429);
    clock.advance(15 * 60_000);
    await http.post('/api/auth/login').send({ username: 'vic', password: 'viewer-pass-1' }).expect(200);
  });

  it('ends a session on logout and the other sessions on a password change', async () => {
    const login = () => http.post('/api/auth/login').send({ username: 'olga', password: 'operator-pass' }).expect(200);
    const [a, b, c] = [(await login()).body.token, (await login()).body.token, (await login()).body.token];
    const as = (t: string) => ({ Authorization: `Bearer ${t}` });
    await http.post('/api/auth/logout').set(as(a)).expect(204);
    await http.get('/api/auth/me').set(as(a)).expect(401);
    await http.get('/api/auth/me').set(as(b)).expect(200);
    const wrong = await http.post('/api/auth/password').set(as(b)).send({ currentPassword: 'nope', newPassword: 'operator-pass-2' }).expect(400);
    expect(wrong.body.message).toBe('currentPassword: wrong password');
    await http.post('/api/auth/password').set(as(b)).send({ currentPassword: 'operator-pass', newPassword: 'operator-pass-2' }).expect(200, { otherSessionsEnded: 2 });
    await http.get('/api/auth/me').set(as(b)).expect(200);
    await http.get('/api/auth/me').set(as(c)).expect(401);
    await http.get('/api/probe').set(auth('olga')).expect(401);
    tokens.olga = (await http.post('/api/auth/login').send({ username: 'olga', password: 'operator-pass-2' }).expect(200)).body.token;
  });

  it('serves the audit log newest first, filtered, with no way to change it', async () => {
    const res = await http.get('/api/audit').query({ action: 'login', actor: 'vic' }).set(auth('olga')).expect(200);
    expect(res.body.map((e: { detail: { result: string } }) => e.detail.result)).toEqual(['ok', 'throttled', 'failed', 'failed', 'failed', 'ok']);
    const probe = await http.get('/api/audit').query({ action: 'probe.write', from: new Date(clock.now() - 3600_000).toISOString() }).set(auth('olga')).expect(200);
    expect(probe.body).toEqual([{ at: expect.any(String), actor: 'olga', action: 'probe.write', target: null, detail: null }]);
    await http.get('/api/audit').query({ from: 'yesterday' }).set(auth('olga')).expect(400);
    await http.get('/api/audit').query({ limit: '5000' }).set(auth('olga')).expect(400);
    await http.delete('/api/audit').set(auth('admin')).expect(404);
  });
});
