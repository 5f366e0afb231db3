/**
 * The one place errors become HTTP: DomainError → its status and code; zod failures → 400 with the
 * failing fields; anything else → 500 without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { DomainError } from '../shared/errors';
import { MissingSecretError } from '../domain/keys';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function onError(err: Error, c: Context) {
  if (err instanceof DomainError) {
    // A throttled request says when to come back (accounts/login-throttle.ts puts the seconds in details).
    const wait = err.status === 429 ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
    return c.json(errorBody(err.code, err.message, err.details), err.status, wait ? { 'Retry-After': String(wait) } : undefined);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'http_error';
    return c.json(errorBody(code, err.message || 'Request refused'), status);
  }
  if (err instanceof MissingSecretError) return missingSecretResponse(c, err);
  console.error('unhandled error', c.req.method, c.req.path, err);
  return c.json(errorBody('internal', 'Something went wrong on our side'), 500);
}

/** The 500 for a missing key: http/require-secrets.ts answers it up front, onError when a deeper path meets one. */
export function missingSecretResponse(c: Context, err: MissingSecretError) {
  console.error(`refusing ${c.req.method} ${c.req.path}: ${err.message}`);
  return c.json(errorBody(err.code, 'The server is not configured: its encryption key is missing, so this cannot be done safely'), 500);
}

/** Validation hook for every OpenAPI route: a failed zod parse answers 400 with the fields. */
export function validationHook(result: { success: boolean; error?: ZodError }, c: Context) {
  if (!result.success && result.error) {
    const fields = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
    return c.json(errorBody('validation_failed', `Invalid request: ${summary}`, { fields }), 400);
  }
}
