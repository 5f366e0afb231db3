/**
 * Chats for inbox tests, built the real way: client texts through the ingest core (with a chosen
 * clock and manager), then the chat actions' own domain functions.
 */
import { eq } from 'drizzle-orm';
import type { SessionUser } from '../../worker/domain/access';
import { closeChat } from '../../worker/domain/chats';
import { setObservers } from '../../worker/domain/chats';
import type { IngestIntegration } from '../../worker/domain/ingest';
import { chats } from '../../worker/data/schema';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from './factory';

export interface ChatOptions {
  integration?: IngestIntegration;
  /** Who the queue hands the new chat to (null = unassigned). */
  responsibleId?: string | null;
  name?: string;
  texts?: string[];
  /** Time of the first text; later texts follow one ms apart. */
  at?: number;
}

/** A chat opened by a client's texts; returns its id and how to reach it again. */
export async function makeChat(opts: ChatOptions = {}) {
  const integration = opts.integration ?? (await makeIntegration());
  const client = uniq();
  const texts = opts.texts ?? ['Olá'];
  const at = opts.at ?? Date.now();
  for (const [i, text] of texts.entries()) {
    await ingest(integration, clientText(client, text, { name: opts.name }), { ...ingestDeps(async () => opts.responsibleId ?? null), now: () => at + i });
  }
  const row = await db().select({ id: chats.id }).from(chats).where(eq(chats.externalChatId, client)).get();
  return { chatId: row!.id, integration, client };
}

/** Another text from the same client (bumps the chat's activity). */
export async function clientWrites(chat: { integration: IngestIntegration; client: string }, text: string, at = Date.now()) {
  await ingest(chat.integration, clientText(chat.client, text), { ...ingestDeps(), now: () => at });
}

let admin: SessionUser | undefined;
/** An administrator to perform set-up actions as. */
export async function setupAdmin(): Promise<SessionUser> {
  admin ??= await makeUser('admin', `setup-admin-${uniq()}`);
  return admin;
}

export async function observe(chatId: string, userIds: string[]) {
  await setObservers({ db: db() }, await setupAdmin(), chatId, userIds);
}

export async function close(chatId: string) {
  await closeChat({ db: db() }, await setupAdmin(), chatId);
}
