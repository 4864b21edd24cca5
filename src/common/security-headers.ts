import type { NextFunction, Request, Response } from 'express';
import { sendError } from './http-error.filter.js';

/** For everything but pages: nothing may load, nothing may frame it. Pages (console, docs) set their own. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI's page: its own scripts, and the inline styles its template carries. */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HeaderOptions {
  corsOrigins: string[];
  hstsMaxAgeS: number;
}

/**
 * Security headers on every response, and CORS closed unless CORS_ORIGINS lists the caller's origin:
 * a browser page from another origin may neither read answers nor write (a write carrying a foreign
 * Origin is refused with 403 before it reaches a route).
 */
export function securityHeaders(o: HeaderOptions) {
  const allowed = new Set(o.corsOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    res.setHeader('Content-Security-Policy', req.path.startsWith('/api/docs') ? DOCS_CSP : API_CSP);
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    if (o.hstsMaxAgeS > 0) res.setHeader('Strict-Transport-Security', `max-age=${o.hstsMaxAgeS}; includeSubDomains`);
    const origin = req.headers.origin;
    if (origin === undefined || sameOrigin(origin, req.headers.host)) return next();
    res.setHeader('Vary', 'Origin');
    if (!allowed.has(origin)) {
      if (WRITES.has(req.method)) return sendError(res, 403, `origin ${origin.slice(0, 200)} is not allowed (CORS_ORIGINS)`);
      return next();
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Api-Key');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/** The page's origin names this service's host (scheme aside: a TLS proxy may sit in front). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
