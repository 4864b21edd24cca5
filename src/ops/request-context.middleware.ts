import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { IdGenerator } from '../common/ids.js';
import { withLogContext } from '../common/log-context.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** A caller's X-Request-Id is kept only when it is a plain token (it ends up in log lines). */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every HTTP request an id (the caller's X-Request-Id or a new one), echoes it in the response,
 * puts it on every log line written while handling the request, logs the request's outcome and
 * times it for `sirenwatch_http_request_duration_seconds`.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly log = new Logger('http');

  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const given = req.header('x-request-id');
    const requestId = given && CALLER_ID.test(given) ? given : this.ids.next();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.once('finish', () => withLogContext({ requestId }, () => this.done(req, res, Number(process.hrtime.bigint() - started) / 1e9)));
    withLogContext({ requestId }, next);
  }

  private done(req: Request, res: Response, seconds: number): void {
    // The live stream lasts as long as the console stays: not a request duration.
    if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
    // Route patterns, not paths: ids in paths would make a label per siren.
    const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    this.metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    const line = `${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${(seconds * 1000).toFixed(1)} ms`;
    // Reads are the console's steady polling: detail. Writes and failures are what an operator looks for.
    // 503 is a deliberate answer (health while the broker is away), not a fault of the service.
    if (res.statusCode >= 500 && res.statusCode !== 503) this.log.error(line);
    else if (res.statusCode === 503) this.log.warn(line);
    else if (req.method !== 'GET' || res.statusCode >= 400) this.log.log(line);
    else this.log.debug(line);
  }
}
