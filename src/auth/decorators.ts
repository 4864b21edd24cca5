import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './roles.js';

/** A request that went through the AuthGuard; `principal` is unset only on Public() routes, `sessionId` set for tokens. */
export type AuthedRequest = Request & { principal?: Principal; sessionId?: string };

export const OWN_SESSION_KEY = 'sirenwatch:own-session';
/** The caller's own session (under /api/auth/): any valid token will do, whatever the method. */
export const OwnSession = () => SetMetadata(OWN_SESSION_KEY, true);

/** The session of the caller's token (set on every route reached with a token). */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<AuthedRequest>().sessionId);

/** The Principal the AuthGuard resolved for this request (undefined on Public() routes). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest<AuthedRequest>().principal,
);
