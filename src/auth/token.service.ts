import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { AppSecretsService } from './app-secrets.service.js';
import { ROLES, type Role } from './roles.js';

const SECRET_NAME = 'jwt-signing-key';

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export interface TokenClaims {
  username: string;
  role: Role;
}

/** Signed session tokens (HS256). Times come from the Clock so expiry is testable. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly secrets: AppSecretsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(claims: TokenClaims): Promise<IssuedToken> {
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = iat + this.config.JWT_TTL_S;
    // iat/exp are set here (not via expiresIn) so that they follow the Clock, not Date.now().
    const token = await this.jwt.signAsync(
      { sub: claims.username, role: claims.role, iat, exp },
      { secret: await this.secrets.get(SECRET_NAME), algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The token's claims; UNAUTHENTICATED when it is malformed, forged or expired. */
  async verify(token: string): Promise<TokenClaims> {
    const secret = await this.secrets.get(SECRET_NAME);
    let payload: { sub?: unknown; role?: unknown };
    try {
      payload = await this.jwt.verifyAsync(token, {
        secret,
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(this.clock.now() / 1000),
      });
    } catch (e) {
      const expired = e instanceof Error && e.name === 'TokenExpiredError';
      throw new DomainError('UNAUTHENTICATED', expired ? 'token expired' : 'invalid token');
    }
    const { sub, role } = payload;
    if (typeof sub !== 'string' || !ROLES.includes(role as Role)) throw new DomainError('UNAUTHENTICATED', 'invalid token');
    return { username: sub, role: role as Role };
  }
}
