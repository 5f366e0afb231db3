/**
 * Domain code throws a DomainError with a contract error code; one handler (http/errors.ts) maps it to
 * the HTTP status and the `{error:{code,message}}` body. Outbound sends return values instead.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 426 | 429;

export class DomainError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'Your role may not do this') => new DomainError(403, 'forbidden', message);
export const conflict = (code: string, message: string) => new DomainError(409, code, message);
export const badRequest = (code: string, message: string, details?: unknown) => new DomainError(400, code, message, details);
