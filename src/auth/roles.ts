import { SetMetadata } from '@nestjs/common';

/** Roles of API.md, each including the ones before it. */
export const ROLES = ['viewer', 'operator', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const roleRank = (r: Role): number => ROLES.indexOf(r);
export const hasRole = (actual: Role, needed: Role): boolean => roleRank(actual) >= roleRank(needed);

export const PUBLIC_KEY = 'sirenwatch:public';
export const ROLE_KEY = 'sirenwatch:role';
export const API_KEY_SCOPE_KEY = 'sirenwatch:api-key-scope';

/** The route needs no token (health, docs, login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The least role that may call the route. Without it: viewer for reads, operator for writes. */
export const MinRole = (role: Role) => SetMetadata(ROLE_KEY, role);
/** The route also takes an `X-Api-Key` of this scope instead of a user token. */
export const AcceptsApiKey = (scope: 'alerts') => SetMetadata(API_KEY_SCOPE_KEY, scope);

/** Who made the request, as the guard resolved it. */
export interface Principal {
  username: string;
  role: Role;
  via: 'token' | 'api-key' | 'loopback';
}

export const LOOPBACK_KEY = 'sirenwatch:loopback';
/** Without a token the route still answers callers on the loopback address (Prometheus on the same host). */
export const AllowLoopback = () => SetMetadata(LOOPBACK_KEY, true);
