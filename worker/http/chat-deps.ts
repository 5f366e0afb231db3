import type { Context } from 'hono';
import { database } from '../data/db';
import type { ChatDeps } from '../domain/chat-deps';
import type { AppEnv } from '../env';
import { publisherVia } from '../objects/publish';

/** The real dependencies of chat domain functions for one request. */
export function chatDeps(c: Context<AppEnv>): ChatDeps {
  return { db: database(c.env.DB), publish: publisherVia(c.env) };
}
