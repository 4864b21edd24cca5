import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
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
  /** The session (SessionsService) the token belongs to: revoking it ends the token. */
  sid: string;
}

/** Signed session tokens (HS256). Times come from the Clock so expiry is testable. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly secrets: AppSecretsService,
    private readonly clock: Clock,
  ) {}

  /** A token for the session, expiring with it (`expiresAtMs`, epoch ms). */
  async issue(claims: TokenClaims, expiresAtMs: number): Promise<IssuedToken> {
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = Math.floor(expiresAtMs / 1000);
    // iat/exp are set here (not via expiresIn) so that they follow the Clock, not Date.now().
    const token = await this.jwt.signAsync(
      { sub: claims.username, role: claims.role, sid: claims.sid, iat, exp },
      { secret: await this.secrets.get(SECRET_NAME), algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The token's claims; UNAUTHENTICATED when it is malformed, forged or expired. */
  async verify(token: string): Promise<TokenClaims> {
    const secret = await this.secrets.get(SECRET_NAME);
    let payload: { sub?: unknown; role?: unknown; sid?: unknown };
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
    const { sub, role, sid } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !ROLES.includes(role as Role)) throw new DomainError('UNAUTHENTICATED', 'invalid token');
    return { username: sub, role: role as Role, sid };
  }
}
