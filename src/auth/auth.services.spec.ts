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
import { ApiKeyEntity, AppSecretEntity, AUTH_ENTITIES, AuditEntryEntity, UserEntity } from './auth.entities.js';
import { AuthService } from './auth.service.js';
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

  const build = () => {
    audit = new AuditService(ds.getRepository(AuditEntryEntity), clock);
    users = new UsersService(ds.getRepository(UserEntity), audit, clock, config);
    keys = new ApiKeysService(ds.getRepository(ApiKeyEntity), audit, new IdGenerator(), clock);
    const tokens = new TokenService(new JwtService(), new AppSecretsService(ds.getRepository(AppSecretEntity), clock), clock, config);
    auth = new AuthService(users, tokens, audit, clock, config);
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
