/**
 * Builds one request's dependencies (`c.var.deps`) in one place. Routes take everything from here and
 * never import the Durable Objects. Every write publishes the same way: the change is stored when
 * publish is called, and the live fan-out (a D1 read and Durable Object calls) runs after the response
 * (`executionCtx.waitUntil`) instead of before it.
 */
import type { MiddlewareHandler } from 'hono';
import { database } from '../data/db';
import type { Viewer } from '../domain/access';
import type { LiveStream, RequestDeps } from '../domain/runtime';
import type { AppEnv, Env } from '../env';
import { clientWroteVia, pickManagerVia, wakeQueuesVia } from '../objects/bot-queue-calls';
import { chatRoom, ROOM_HEADER } from '../objects/chat-room';
import { inboxFeed, onlineUsersVia } from '../objects/inbox-feed';
import { VIEWER_HEADER } from '../objects/live-sockets';
import { notifyUsersVia, publisherVia, userChangedVia } from '../objects/publish';

export const provideDeps: MiddlewareHandler<AppEnv> = async (c, next) => {
  const publish = publisherVia(c.env);
  const later = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
  const deps: RequestDeps = {
    db: database(c.env.DB),
    now: Date.now,
    publish: async (changes) => later(publish(changes)),
    pickManager: pickManagerVia(c.env),
    wakeQueues: (target) => wakeQueuesVia(c.env, target),
    onlineUserIds: () => onlineUsersVia(c.env),
    media: c.env.MEDIA,
    clientWrote: (integrationId) => later(clientWroteVia(c.env, integrationId)),
    userChanged: (userId) => later(userChangedVia(c.env, userId)),
    notifyUsers: async (notices) => later(notifyUsersVia(c.env, notices)),
    openLive: (stream, viewer, after) => openLive(c.env, stream, viewer, after),
  };
  c.set('deps', deps);
  await next();
};

function openLive(env: Env, stream: LiveStream, viewer: Viewer, after: number | null): Promise<Response> {
  const url = new URL('https://live.internal/connect');
  if (after !== null) url.searchParams.set('after', String(after));
  const headers: Record<string, string> = { upgrade: 'websocket', [VIEWER_HEADER]: JSON.stringify(viewer) };
  if (stream.kind === 'chat') headers[ROOM_HEADER] = JSON.stringify({ observerIds: stream.observerIds });
  const stub = stream.kind === 'inbox' ? inboxFeed(env) : chatRoom(env, stream.chatId);
  // A fresh request: nothing the client sent (cookies, forged viewer headers) reaches the object.
  return stub.fetch(new Request(url, { headers }));
}
