import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FakeClock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { IdGenerator } from '../common/ids.js';
import { loadConfig } from '../config/load-config.js';
import type { AppConfig } from '../config/config.schema.js';
import { MIGRATIONS } from '../database/migrations.js';
import { ApiKeysService } from './api-keys.service.js';
import { AppSecretsService } from './app-secrets.service.js';
import { AuditService } from './audit.service.js';
import { ApiKeyEntity, AppSecretEntity, AUTH_ENTITIES, AuditEntryEntity, SessionEntity, UserEntity } from './auth.entities.js';
import { AuthService } from './auth.service.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';
import { UsersService } from './users.service.js';

describe('auth services on SQLite', () => {
  let dir: string;
  let ds: DataSource;
  let clock: FakeClock;
  let config: AppConfig;
  let audit: AuditService;
  let users: UsersService;
  let keys: ApiKeysService;
  let auth: AuthService;
  let tokens: TokenService;
  let sessions: SessionsService;

  const newSessions = () => new SessionsService(ds.getRepository(SessionEntity), ds.getRepository(UserEntity), clock, new IdGenerator(), config);
  const build = () => {
    audit = new AuditService(ds.getRepository(AuditEntryEntity), clock);
    sessions = newSessions();
    users = new UsersService(ds.getRepository(UserEntity), audit, sessions, clock, config);
    keys = new ApiKeysService(ds.getRepository(ApiKeyEntity), audit, new IdGenerator(), clock);
    tokens = new TokenService(new JwtService(), new AppSecretsService(ds.getRepository(AppSecretEntity), clock), clock);
    auth = new AuthService(users, tokens, sessions, audit, clock, config);
  };
  /** Whether the token still gets through: what the guard asks of it. */
  const live = async (token: string) => {
    const c = await tokens.verify(token);
    return (await sessions.check(c.sid, c.username)) !== null;
  };
  const failsWith = async (p: Promise<unknown>, code: string) => {
    const e = await p.then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sirenwatch-auth-'));
    ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), entities: AUTH_ENTITIES, migrations: MIGRATIONS, migrationsRun: true });
    await ds.initialize();
    clock = new FakeClock();
    config = { ...loadConfig({}), ADMIN_PASSWORD: 'first-admin-pw' };
    build();
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('first admin', () => {
    it('creates ADMIN_USERNAME with ADMIN_PASSWORD once, printing nothing', async () => {
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await users.onApplicationBootstrap();
        await users.onApplicationBootstrap();
        expect(log).not.toHaveBeenCalled();
      } finally {
        log.mockRestore();
      }
      expect(await users.list()).toEqual([{ username: 'admin', role: 'admin', createdAt: new Date(clock.now()).toISOString(), disabled: false }]);
      expect((await auth.login('admin', 'first-admin-pw', '10.0.0.1')).role).toBe('admin');
    });

    it('generates and prints the password exactly once when ADMIN_PASSWORD is unset', async () => {
      config = { ...config, ADMIN_PASSWORD: undefined };
      build();
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      let lines: unknown[][];
      try {
        await users.onApplicationBootstrap();
        await users.onApplicationBootstrap();
        lines = [...log.mock.calls];
      } finally {
        log.mockRestore();
      }
      expect(lines).toHaveLength(1);
      const line = String(lines[0][0]);
      const m = /^admin password: ([A-Za-z0-9_-]{20,})$/.exec(line);
      expect(m).not.toBeNull();
      expect((await auth.login('admin', m![1], '10.0.0.1')).role).toBe('admin');
    });
  });

  describe('login', () => {
    beforeEach(() => users.create({ username: 'olga', password: 'operator-pw', role: 'operator' }, 'test'));

    it('issues a token with role and expiry, and audits success and failure', async () => {
      const r = await auth.login('olga', 'operator-pw', '10.0.0.1');
      expect(r.role).toBe('operator');
      expect(r.expiresAt).toBe(new Date(clock.now() + config.JWT_TTL_S * 1000).toISOString());
      expect(r.token.split('.')).toHaveLength(3);
      await failsWith(auth.login('olga', 'wrong-pw', '10.0.0.1'), 'UNAUTHENTICATED');
      await failsWith(auth.login('nobody', 'whatever', '10.0.0.2'), 'UNAUTHENTICATED');
      const logins = await audit.query({ action: 'login' });
      expect(logins.map((e) => [e.actor, (e.detail as { result: string }).result])).toEqual([
        ['nobody', 'failed'],
        ['olga', 'failed'],
        ['olga', 'ok'],
      ]);
      expect(JSON.stringify(logins)).not.toContain('pw');
    });

    it('answers TOO_MANY after 10 failures per username, even with the right password, until the window passes', async () => {
      for (let i = 0; i < 10; i++) await failsWith(auth.login('olga', `wrong-${i}`, `10.0.1.${i}`), 'UNAUTHENTICATED');
      await failsWith(auth.login('olga', 'operator-pw', '10.0.2.1'), 'TOO_MANY');
      expect((await audit.query({ action: 'login', limit: 1 }))[0].detail).toEqual({ result: 'throttled', source: '10.0.2.1' });
      clock.advance(config.LOGIN_WINDOW_S * 1000);
      expect((await auth.login('olga', 'operator-pw', '10.0.2.1')).role).toBe('operator');
    });

    it('throttles per source address across usernames', async () => {
      for (let i = 0; i < 10; i++) await failsWith(auth.login(`guess${i}`, 'x', '10.9.9.9'), 'UNAUTHENTICATED');
      await failsWith(auth.login('olga', 'operator-pw', '10.9.9.9'), 'TOO_MANY');
      expect((await auth.login('olga', 'operator-pw', '10.0.0.5')).role).toBe('operator');
    });

    it('refuses a disabled user', async () => {
      await ds.getRepository(UserEntity).update({ username: 'olga' }, { disabled: true });
      await failsWith(auth.login('olga', 'operator-pw', '10.0.0.1'), 'UNAUTHENTICATED');
    });
  });

  describe('sessions', () => {
    const PW = 'operator-password-1';
    beforeEach(() => users.create({ username: 'olga', password: PW, role: 'operator' }, 'admin'));
    const sidOf = async (token: string) => (await tokens.verify(token)).sid;

    it('ends one session on logout, the others going on', async () => {
      const a = (await auth.login('olga', PW, '10.0.0.1')).token;
      const b = (await auth.login('olga', PW, '10.0.0.2')).token;
      await auth.logout('olga', await sidOf(a));
      expect([await live(a), await live(b)]).toEqual([false, true]);
      expect((await audit.query({ action: 'logout' })).map((e) => e.actor)).toEqual(['olga']);
    });

    it('changes the password on the right current one, ending every other session', async () => {
      const a = (await auth.login('olga', PW, '10.0.0.1')).token;
      const b = (await auth.login('olga', PW, '10.0.0.2')).token;
      await failsWith(auth.changePassword('olga', await sidOf(a), 'not-my-password', 'a-new-long-password'), 'INVALID');
      await expect(auth.changePassword('olga', await sidOf(a), PW, 'short')).rejects.toThrow('newPassword: must be at least 12 characters');
      await expect(auth.changePassword('olga', await sidOf(a), PW, 'OLGA')).rejects.toThrow('newPassword: must be at least');
      await expect(auth.changePassword('olga', await sidOf(a), PW, 'password1234')).rejects.toThrow('newPassword: is too common');
      await expect(auth.changePassword('olga', await sidOf(a), PW, PW)).rejects.toThrow('newPassword: must differ from the current password');
      expect(await auth.changePassword('olga', await sidOf(a), PW, 'a-new-long-password')).toEqual({ otherSessionsEnded: 1 });
      expect([await live(a), await live(b)]).toEqual([true, false]);
      await failsWith(auth.login('olga', PW, '10.0.0.3'), 'UNAUTHENTICATED');
      expect((await auth.login('olga', 'a-new-long-password', '10.0.0.3')).role).toBe('operator');
      const changes = await audit.query({ action: 'user.password.change' });
      expect(changes.map((e) => (e.detail as { result: string }).result)).toEqual(['ok', 'failed']);
      expect(JSON.stringify(changes)).not.toContain('password-1');
    });

    it('throttles wrong current passwords like failed logins', async () => {
      const sid = await sidOf((await auth.login('olga', PW, '10.0.0.1')).token);
      for (let i = 0; i < config.LOGIN_MAX_FAILURES; i++) await failsWith(auth.changePassword('olga', sid, `guess-${i}`, 'a-new-long-password'), 'INVALID');
      await failsWith(auth.changePassword('olga', sid, PW, 'a-new-long-password'), 'TOO_MANY');
    });

    it('ends every session of a disabled user, refuses its login, and lets nobody disable or demote themselves', async () => {
      const a = (await auth.login('olga', PW, '10.0.0.1')).token;
      expect(await users.update('olga', { disabled: true }, 'admin')).toMatchObject({ username: 'olga', disabled: true });
      expect(await live(a)).toBe(false);
      await failsWith(auth.login('olga', PW, '10.0.0.1'), 'UNAUTHENTICATED');
      await users.update('olga', { disabled: false, role: 'engineer' }, 'admin');
      const b = (await auth.login('olga', PW, '10.0.0.1')).token;
      expect(await sessions.check(await sidOf(b), 'olga')).toEqual({ username: 'olga', role: 'engineer' });
      await failsWith(users.update('olga', { disabled: true }, 'olga'), 'CONFLICT');
      await failsWith(users.update('olga', { role: 'viewer' }, 'olga'), 'CONFLICT');
      await failsWith(users.update('nobody', { disabled: true }, 'admin'), 'NOT_FOUND');
      expect((await audit.query({ action: 'user.update' })).map((e) => e.detail)).toEqual([{ disabled: false, role: 'engineer' }, { disabled: true }]);
    });

    it('sees a revocation made by another instance once its cached answer is SESSION_CHECK_CACHE_S old', async () => {
      const a = (await auth.login('olga', PW, '10.0.0.1')).token;
      expect(await live(a)).toBe(true);
      await newSessions().revoke(await sidOf(a), 'logout');
      expect(await live(a)).toBe(true);
      clock.advance(config.SESSION_CHECK_CACHE_S * 1000);
      expect(await live(a)).toBe(false);
    });
  });

  describe('users', () => {
    it('creates, lists and refuses a duplicate username', async () => {
      await users.create({ username: 'eve.eng', password: 'engineer-pw', role: 'engineer' }, 'admin');
      await failsWith(users.create({ username: 'eve.eng', password: 'another-pw', role: 'viewer' }, 'admin'), 'CONFLICT');
      expect((await users.list()).map((u) => [u.username, u.role])).toEqual([['eve.eng', 'engineer']]);
      const created = await audit.query({ action: 'user.create' });
      expect(created).toEqual([{ at: new Date(clock.now()).toISOString(), actor: 'admin', action: 'user.create', target: 'eve.eng', detail: { role: 'engineer' } }]);
    });
  });

  describe('api keys', () => {
    it('stores only a hash, authenticates by scope and stops working once revoked', async () => {
      const { id, key } = await keys.create('cap-feed', 'alerts', 'admin');
      expect(key).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
      const stored = await ds.getRepository(ApiKeyEntity).findOneByOrFail({ id });
      expect(stored.keyHash).not.toContain(key);
      expect(JSON.stringify(await keys.list())).not.toContain(stored.keyHash);
      expect(await keys.authenticate(key, 'alerts')).toEqual({ username: 'apikey:cap-feed', role: 'operator', via: 'api-key' });
      expect(await keys.authenticate(key, 'other')).toBeNull();
      expect(await keys.authenticate(`${key}x`, 'alerts')).toBeNull();
      clock.advance(5000);
      const revoked = await keys.revoke(id, 'admin');
      expect(revoked.revokedAt).toBe(new Date(clock.now()).toISOString());
      expect(await keys.authenticate(key, 'alerts')).toBeNull();
      expect((await keys.revoke(id, 'admin')).revokedAt).toBe(revoked.revokedAt);
      await failsWith(keys.revoke('no-such-id', 'admin'), 'NOT_FOUND');
      expect((await audit.query({ actor: 'admin' })).map((e) => e.action)).toEqual(['api-key.revoke', 'api-key.create']);
    });
  });

  describe('audit', () => {
    it('filters by time, actor and action, newest first, with a limit', async () => {
      const t0 = clock.now();
      for (let i = 0; i < 5; i++) {
        await audit.record(i % 2 ? 'ann' : 'bob', i < 3 ? 'fault.ack' : 'fault.shelve', `F${i}`, { i });
        clock.advance(60_000);
      }
      expect((await audit.query({})).map((e) => e.target)).toEqual(['F4', 'F3', 'F2', 'F1', 'F0']);
      expect((await audit.query({ from: t0 + 60_000, to: t0 + 180_000 })).map((e) => e.target)).toEqual(['F3', 'F2', 'F1']);
      expect((await audit.query({ actor: 'ann', action: 'fault.ack' })).map((e) => e.target)).toEqual(['F1']);
      expect((await audit.query({ limit: 2 })).map((e) => e.target)).toEqual(['F4', 'F3']);
      expect((await audit.query({ to: t0 })).map((e) => [e.at, e.detail])).toEqual([[new Date(t0).toISOString(), { i: 0 }]]);
    });

    it('writes inside the caller transaction', async () => {
      await ds.transaction(async (m) => {
        await audit.record('ann', 'siren.maintenance', 'S1', undefined, m);
        throw new Error('rolled back');
      }).catch(() => undefined);
      await audit.record('ann', 'siren.maintenance', 'S2');
      expect(await audit.query({})).toEqual([{ at: new Date(clock.now()).toISOString(), actor: 'ann', action: 'siren.maintenance', target: 'S2', detail: null }]);
    });
  });
});
