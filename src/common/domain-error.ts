/** Codes that the HTTP edge maps to status codes; domain code never throws HttpException. */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'INVALID'
  | 'UNPROCESSABLE'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TOO_MANY'
  | 'TOO_LARGE'
  | 'UNSUPPORTED_MEDIA'
  | 'UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const invalid = (message: string) => new DomainError('INVALID', message);
