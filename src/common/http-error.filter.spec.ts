import { describe, expect, it, jest } from '@jest/globals';
import { BadRequestException, InternalServerErrorException, Logger, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { HttpErrorFilter } from './http-error.filter.js';

/** Runs the filter on `error`; the status and body it answered, and what it logged as an error. */
function answer(error: unknown) {
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    headersSent: false,
    status(s: number) {
      sent.status = s;
      return this;
    },
    json(b: unknown) {
      sent.body = b;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  try {
    new HttpErrorFilter().catch(error, host);
    return { ...sent, logged: logged.mock.calls.map((c) => String(c[0])) };
  } finally {
    logged.mockRestore();
  }
}

describe('HttpErrorFilter', () => {
  it('maps domain errors to their status in the API shape, logging nothing', () => {
    expect(answer(new DomainError('TOO_LARGE', 'request body over 10 bytes'))).toEqual({
      status: 413,
      body: { statusCode: 413, error: 'Payload Too Large', message: 'request body over 10 bytes' },
      logged: [],
    });
    expect(answer(new BadRequestException('name: required')).body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'name: required' });
  });

  it('answers any other failure with a bare 500 and keeps the stack and the detail in the log', () => {
    const e = new Error('connect ECONNREFUSED postgres://sirenwatch:db-pass@db:5432');
    const r = answer(e);
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    expect(r.logged[0]).toContain(e.stack!.split('\n')[1].trim());
    expect(answer(new InternalServerErrorException('pool exhausted at db.ts:42')).body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });
});
