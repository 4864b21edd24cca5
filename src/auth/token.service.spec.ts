import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FakeClock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { MIGRATIONS } from '../database/migrations.js';
import { AppSecretsService } from './app-secrets.service.js';
import { AppSecretEntity, AUTH_ENTITIES } from './auth.entities.js';
import { TokenService } from './token.service.js';

describe('TokenService', () => {
  const HOUR = 3600_000;
  let dir: string;
  let ds: DataSource;
  let clock: FakeClock;
  let tokens: TokenService;

  const newService = () => new TokenService(new JwtService(), new AppSecretsService(ds.getRepository(AppSecretEntity), clock), clock);
  const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof DomainError ? `${e.code}: ${e.message}` : e));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sirenwatch-token-'));
    ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), entities: AUTH_ENTITIES, migrations: MIGRATIONS, migrationsRun: true });
    await ds.initialize();
    clock = new FakeClock();
    tokens = newService();
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries username, role and session and expires with its session on the clock', async () => {
    const { token, expiresAt } = await tokens.issue({ username: 'olga', role: 'operator', sid: 's-1' }, clock.now() + HOUR);
    expect(expiresAt).toBe(new Date(clock.now() + HOUR).toISOString());
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    clock.advance(3599_000);
    expect(await tokens.verify(token)).toEqual({ username: 'olga', role: 'operator', sid: 's-1' });
    clock.advance(1000);
    expect(await rejection(tokens.verify(token))).toBe('UNAUTHENTICATED: token expired');
  });

  it('refuses tampered, foreign and unsigned tokens', async () => {
    const { token } = await tokens.issue({ username: 'vic', role: 'viewer', sid: 's-2' }, clock.now() + HOUR);
    const [h, , s] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'vic', role: 'admin', sid: 's-2', iat: 1, exp: 4e9 })).toString('base64url');
    const foreign = new JwtService().sign({ sub: 'vic', role: 'admin', sid: 's-2' }, { secret: 'guessed' });
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${forgedBody}.`;
    const secret = await new AppSecretsService(ds.getRepository(AppSecretEntity), clock).get('jwt-signing-key');
    // Signed right but from before sessions: no session to revoke, so not accepted.
    const sessionless = new JwtService().sign({ sub: 'vic', role: 'viewer' }, { secret, algorithm: 'HS256' });
    for (const bad of [`${h}.${forgedBody}.${s}`, foreign, none, 'not-a-token', sessionless]) {
      expect(await rejection(tokens.verify(bad))).toBe('UNAUTHENTICATED: invalid token');
    }
  });

  it('shares one generated signing key between instances on the same database', async () => {
    const { token } = await tokens.issue({ username: 'ann', role: 'admin', sid: 's-3' }, clock.now() + HOUR);
    expect(await newService().verify(token)).toEqual({ username: 'ann', role: 'admin', sid: 's-3' });
    expect(await ds.getRepository(AppSecretEntity).count()).toBe(1);
  });
});
