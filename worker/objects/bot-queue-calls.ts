/**
 * How the Worker (and the other objects) reach a bot's BotQueue object: the ingest's "who gets this
 * chat", waking the queues that may now place chats, and a client message starting the reply timer.
 */
import { database } from '../data/db';
import { queuesOf, type PickManager } from '../domain/routing';
import type { Env } from '../env';

/**
 * The ingest dependency: asks the integration's BotQueue object (pass the chat key where known, and a
 * reopened chat's previous manager as `prefer`).
 */
export function pickManagerVia(env: Env): PickManager {
  return (integrationId, chatKey, prefer, given) => botQueue(env, integrationId).nextManager(integrationId, chatKey, prefer, given);
}

export function botQueue(env: Env, integrationId: string) {
  return env.BOT_QUEUE.get(env.BOT_QUEUE.idFromName(integrationId));
}

/** After the webhook stored a client message: lets the bot's reply timer know (after the response). */
export async function clientWroteVia(env: Env, integrationId: string): Promise<void> {
  try {
    await botQueue(env, integrationId).clientWrote(integrationId);
  } catch (err) {
    console.error('bot queue: client message note failed', err);
  }
}

/**
 * Wakes the queues that may now place chats: one bot's (its settings or queue changed) or every bot a
 * person is queued in (their status changed, they came online, they were deactivated). Never throws:
 * the alarm's periodic retry is the safety net.
 */
export async function wakeQueuesVia(env: Env, target: { integrationId: string } | { userId: string }): Promise<void> {
  try {
    const ids = 'integrationId' in target ? [target.integrationId] : await queuesOf(database(env.DB), target.userId);
    await Promise.all(ids.map((id) => botQueue(env, id).wake(id)));
  } catch (err) {
    console.error('waking bot queues failed', err);
  }
}
