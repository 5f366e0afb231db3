/**
 * Test helpers that build state through the real domain functions (never by writing rows by hand).
 */
import { env } from 'cloudflare:workers';
import { createUser } from '../../worker/domain/accounts';
import { ingestUpdate, type IngestDeps, type IngestIntegration } from '../../worker/domain/ingest';
import { newShortId } from '../../worker/shared/ids';
import { encryptToken } from '../../worker/domain/integrations';
import { database } from '../../worker/data/db';
import { eq } from 'drizzle-orm';
import { integrations, users } from '../../worker/data/schema';
import type { InboundEvent, ParsedUpdate } from '../../worker/messengers/types';
import type { Role } from '../../worker/data/schema';

export const db = () => database(env.DB);

let seq = 0;
/** A unique suffix per call within a test file. */
export const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function makeUser(role: Role, name = `${role}-${uniq()}`) {
  const password = 'test-password';
  const user = await createUser(db(), { email: `${name}@test.ponte`, name, role, password });
  return { ...user, password };
}

/** An integration row as the connect flow would leave it (the connect flow itself needs a messenger). */
export async function makeIntegration(over: Partial<typeof integrations.$inferInsert> = {}) {
  const row = {
    id: newShortId(), channel: 'telegram', name: `Bot ${uniq()}`, tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, '1:test'),
    webhookSecret: 'secret_' + uniq(), greetingText: '', autoReplyText: '', createdAt: Date.now(), ...over,
  };
  await db().insert(integrations).values(row);
  return row as typeof row & IngestIntegration;
}

/** A client text as a messenger would report it. */
export function clientText(externalUserId: string, text: string, opts: { messageId?: string; name?: string; start?: boolean } = {}): ParsedUpdate {
  const messageId = opts.messageId ?? uniq();
  const event: InboundEvent = {
    type: 'message', text, externalMessageId: messageId, sentAt: Date.now(), isStart: opts.start,
    sender: { externalId: externalUserId, externalChatId: externalUserId, name: opts.name ?? `Client ${externalUserId}` },
  };
  return { dedupKey: `u:${messageId}`, events: [event] };
}

/**
 * Ingest with a fake queue: `pick` answers for new chats; a reopened chat goes back to its previous
 * manager while they are active, as the real BotQueue does under its default rule.
 */
export function ingestDeps(pick: (integrationId: string) => Promise<string | null> = async () => null): IngestDeps {
  return {
    db: db(),
    pickManager: async (integrationId, _chatKey, prefer) => {
      if (prefer && (await db().select({ active: users.active }).from(users).where(eq(users.id, prefer)).get())?.active) return prefer;
      return pick(integrationId);
    },
  };
}

export async function ingest(integration: IngestIntegration, update: ParsedUpdate, deps = ingestDeps()) {
  return ingestUpdate(deps, integration, update);
}
