/**
 * Fail closed without ENCRYPTION_KEY: the request paths that need it (signed media, webhooks, which
 * decrypt the bot token to verify, connecting a bot, sending to a messenger) answer a clear 500 and log
 * why before doing anything, instead of signing or encrypting with a key anyone could compute.
 * Everything else (logging in, reading the inbox) keeps working, so an admin can still look around.
 */
import type { MiddlewareHandler } from 'hono';
import { hasUsableSecret, MissingSecretError } from '../domain/keys';
import type { AppEnv } from '../env';
import { missingSecretResponse } from './error-responses';

const NEEDS_KEY: { method?: string; path: RegExp }[] = [
  { path: /^\/media\// },
  { path: /^\/webhooks\// },
  { method: 'POST', path: /^\/api\/integrations\/?$/ },
  { method: 'DELETE', path: /^\/api\/integrations\/[^/]+\/?$/ },
  { method: 'POST', path: /^\/api\/chats\/[^/]+\/(messages|attachments)(\/[^/]+\/retry)?\/?$/ },
];

export function needsEncryptionKey(method: string, path: string): boolean {
  return NEEDS_KEY.some((r) => (!r.method || r.method === method) && r.path.test(path));
}

export const requireEncryptionKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (needsEncryptionKey(c.req.method, c.req.path) && !hasUsableSecret(c.env.ENCRYPTION_KEY)) {
    return missingSecretResponse(c, new MissingSecretError('is not set or not base64 of 32 bytes'));
  }
  await next();
};
