import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

/**
 * One per integration: serialises the round-robin "who gets the next chat" decision.
 * (The rotation itself lands with the assignment issue; until then every chat waits unassigned.)
 */
export class BotQueue extends DurableObject<Env> {
  /** The manager who gets the next new chat, or null to leave it unassigned. */
  async nextManager(_integrationId: string): Promise<string | null> {
    return null;
  }
}

/** The ingest dependency: asks the integration's BotQueue object. */
export function pickManagerVia(env: Env): (integrationId: string) => Promise<string | null> {
  return (integrationId) => env.BOT_QUEUE.get(env.BOT_QUEUE.idFromName(integrationId)).nextManager(integrationId);
}
