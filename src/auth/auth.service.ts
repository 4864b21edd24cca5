import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { AuditService } from './audit.service.js';
import { LoginThrottle } from './login-throttle.js';
import { passwordProblem } from './password-policy.js';
import { dummyHash, verifyPassword } from './password.js';
import type { Role } from './roles.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';
import { UsersService } from './users.service.js';

export interface LoginResult {
  token: string;
  role: Role;
  expiresAt: string;
}

/**
 * Logging in (throttled per username and per source address, every attempt audited as `login`),
 * logging out, and changing one's own password (which ends the user's other sessions).
 */
@Injectable()
export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.throttle = new LoginThrottle(clock, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_S * 1000);
  }

  async login(username: string, password: string, source: string): Promise<LoginResult> {
    const keys = [`user:${username}`, `source:${source}`];
    if (this.throttle.isBlocked(...keys)) {
      await this.audit.record(username, 'login', username, { result: 'throttled', source });
      throw new DomainError('TOO_MANY', 'too many failed logins; try again later');
    }
    const user = await this.users.find(username);
    // An unknown user costs one hash check too, so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      this.throttle.recordFailure(...keys);
      await this.audit.record(username, 'login', username, { result: 'failed', source });
      throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    }
    this.throttle.reset(keys[0]);
    const session = await this.sessions.open(user.username);
    const issued = await this.tokens.issue({ username: user.username, role: user.role, sid: session.sid }, session.expiresAt);
    await this.audit.record(username, 'login', username, { result: 'ok', source });
    return { token: issued.token, role: user.role, expiresAt: issued.expiresAt };
  }

  /** Ends the caller's session: its token is refused from now on. */
  async logout(username: string, sid: string): Promise<void> {
    await this.sessions.revoke(sid, 'logout');
    await this.audit.record(username, 'logout', username);
  }

  /**
   * Sets a new password after checking the current one (a wrong one counts as a failed login, so this
   * is no way around the throttle) and ends every other session of the user. The number ended.
   */
  async changePassword(username: string, sid: string, current: string, next: string): Promise<{ otherSessionsEnded: number }> {
    const key = `user:${username}`;
    if (this.throttle.isBlocked(key)) throw new DomainError('TOO_MANY', 'too many failed attempts; try again later');
    const user = await this.users.find(username);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      this.throttle.recordFailure(key);
      await this.audit.record(username, 'user.password.change', username, { result: 'failed' });
      throw new DomainError('INVALID', 'currentPassword: wrong password');
    }
    const problem = passwordProblem(next, username) ?? (next === current ? 'must differ from the current password' : null);
    if (problem) throw new DomainError('INVALID', `newPassword: ${problem}`);
    await this.users.setPassword(username, next, username);
    return { otherSessionsEnded: await this.sessions.revokeAll(username, 'password-change', sid) };
  }
}
