import type { Context } from 'hono';
import { database } from '../data/db';
import type { Deps } from '../domain/runtime';
import type { AppEnv } from '../env';
import { publisherVia } from '../objects/publish';

/**
 * The real dependencies of chat domain functions for one request. The change is stored when publish is
 * called, so the live fan-out (a D1 read and Durable Object calls) runs after the response instead of
 * before it.
 */
export function chatDeps(c: Context<AppEnv>): Deps {
  const publish = publisherVia(c.env);
  return { db: database(c.env.DB), publish: async (changes) => c.executionCtx.waitUntil(publish(changes)) };
}
