import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, type DomainErrorCode } from './domain-error.js';

const STATUS: Record<DomainErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID: 400,
  UNPROCESSABLE: 422,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TOO_MANY: 429,
  TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  UNAVAILABLE: 503,
};

/** The one HTTP edge filter: every error leaves as `{ statusCode, error, message }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let message = 'internal error';
    if (error instanceof DomainError) {
      status = STATUS[error.code];
      message = error.message;
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      const body = error.getResponse();
      const m = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      message = Array.isArray(m) ? m.join('; ') : String(m ?? error.message);
      if (status >= 500) {
        this.log.error(error.stack ?? error.message);
        message = 'internal error';
      }
    } else {
      // The stack stays in the server's log; the caller learns only that it failed.
      this.log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (res.headersSent) return;
    sendError(res, status, message);
  }
}

/** The API's error shape (API.md), also for refusals made before a route is reached. */
export function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
}
