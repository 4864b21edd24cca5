import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Not, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { IdGenerator } from '../common/ids.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { SessionEntity, UserEntity } from './auth.entities.js';
import type { Role } from './roles.js';

export type RevokeReason = 'logout' | 'password-change' | 'user-disabled';

export interface LiveSession {
  username: string;
  role: Role;
}

/** Cached answers kept at most; beyond it the cache starts over (a flood of tokens cannot grow it). */
const CACHE_MAX = 10_000;
/** Expired sessions are deleted on every this-many logins. */
const PRUNE_EVERY = 100;

/**
 * Login sessions behind the tokens. The guard asks `check` on every request; answers are cached for
 * SESSION_CHECK_CACHE_S, and this instance's own revocations drop them at once (another instance
 * sharing the database sees a revocation within that time).
 */
@Injectable()
export class SessionsService {
  private readonly cache = new Map<string, { at: number; live: LiveSession | null }>();
  private opened = 0;

  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session for the user, lasting JWT_TTL_S. */
  async open(username: string): Promise<{ sid: string; expiresAt: number }> {
    const now = this.clock.now();
    const row: SessionEntity = { id: this.ids.next(), username, createdAt: now, expiresAt: now + this.config.JWT_TTL_S * 1000, revokedAt: null, revokedReason: null };
    await this.sessions.insert(row);
    if (++this.opened % PRUNE_EVERY === 0) await this.sessions.delete({ expiresAt: LessThan(now) });
    return { sid: row.id, expiresAt: row.expiresAt };
  }

  /** Who the session belongs to as stored now (role included), or null: revoked, unknown, not this user's, or the user disabled or gone. */
  async check(sid: string, username: string): Promise<LiveSession | null> {
    const now = this.clock.now();
    const hit = this.cache.get(sid);
    if (hit && now - hit.at < this.config.SESSION_CHECK_CACHE_S * 1000) return hit.live;
    const row = await this.sessions.findOneBy({ id: sid });
    const user = row && row.revokedAt === null && row.username === username ? await this.users.findOneBy({ username }) : null;
    const live = user && !user.disabled ? { username: user.username, role: user.role } : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(sid, { at: now, live });
    return live;
  }

  async revoke(sid: string, reason: RevokeReason): Promise<void> {
    await this.sessions.update({ id: sid, revokedAt: IsNull() }, { revokedAt: this.clock.now(), revokedReason: reason });
    this.cache.delete(sid);
  }

  /** Revokes every open session of the user but `except`; the number revoked. */
  async revokeAll(username: string, reason: RevokeReason, except?: string): Promise<number> {
    const where = { username, revokedAt: IsNull(), ...(except ? { id: Not(except) } : {}) };
    const r = await this.sessions.update(where, { revokedAt: this.clock.now(), revokedReason: reason });
    this.forget(username);
    return r.affected ?? 0;
  }

  /** Drops the cached answers about this user (its role or state changed). */
  forget(username: string): void {
    for (const [sid, entry] of this.cache) if (entry.live?.username === username) this.cache.delete(sid);
  }
}
