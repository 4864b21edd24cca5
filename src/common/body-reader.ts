import type { NextFunction, Request, Response } from 'express';
import { sendError } from './http-error.filter.js';
import type { RouteBodyLimit } from './body-limit.js';

/** Imports arrive as text files; CAP alerts as bytes (their XML declaration names the encoding). */
const TEXT_TYPES = new Set(['text/csv', 'text/plain', 'application/geo+json']);
const RAW_TYPES = new Set(['application/cap+xml', 'application/xml', 'text/xml']);
const isJson = (type: string) => type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii']);
/** Keys that could reach an object's prototype if some code merged the body into an object. */
const POLLUTING = new Set(['__proto__', 'constructor', 'prototype']);

type Kind = 'json' | 'text' | 'raw';

function kindOf(type: string, route: RouteBodyLimit | undefined): Kind | null {
  if (route?.rawTypes?.includes(type)) return 'raw';
  if (TEXT_TYPES.has(type)) return 'text';
  if (RAW_TYPES.has(type)) return 'raw';
  return isJson(type) ? 'json' : null;
}

/**
 * Reads request bodies (in place of body-parser) so that each route has its own size limit:
 * BODY_LIMIT_KB unless it declared BodyLimit(). Too large → 413 before or while reading (never more
 * than the limit is held); JSON without prototype keys; other media types (multipart) are left to
 * the route. Every refusal has the API's error shape.
 */
export function bodyReader(routes: RouteBodyLimit[], defaultBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const [type, ...params] = (req.headers['content-type'] ?? '').toLowerCase().split(';').map((s) => s.trim());
    const route = routes.find((r) => r.method === req.method && r.pattern.test(req.path));
    const kind = kindOf(type, route);
    if (kind === null || !hasBody(req)) return next();
    const refuse = (status: number, message: string) => {
      res.setHeader('Connection', 'close');
      sendError(res, status, message);
      req.resume();
    };
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') return refuse(415, `Content-Encoding ${encoding} is not accepted; send the body uncompressed`);
    const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
    if (kind !== 'raw' && charset !== undefined && !UTF8.has(charset)) return refuse(415, `charset ${charset} is not accepted; send UTF-8`);
    const limit = route?.bytes ?? defaultBytes;
    const tooLarge = `request body over ${limit} bytes`;
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse(413, tooLarge);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        return refuse(413, tooLarge);
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const bytes = Buffer.concat(chunks, size);
      if (kind === 'raw') {
        req.body = bytes;
        return next();
      }
      const text = bytes.toString('utf8');
      // No field has a use for U+0000, and PostgreSQL text cannot store it.
      if (text.includes('\u0000') || (kind === 'json' && text.includes('\\u0000'))) return sendError(res, 400, 'request body: contains U+0000 (NUL)');
      if (kind === 'text') req.body = text;
      else {
        try {
          req.body = bytes.length ? JSON.parse(text, (k, v: unknown) => (POLLUTING.has(k) ? undefined : v)) : {};
        } catch {
          return sendError(res, 400, 'request body: not valid JSON');
        }
      }
      next();
    });
  };
}

/** A request that carries a body at all (Content-Length above zero, or chunked). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
