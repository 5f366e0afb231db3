import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chatEvents, chats, contacts, messages, processedUpdates } from '../../../worker/data/schema';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';

describe('ingestUpdate', () => {
  it('creates contact, chat, message and events for a first text; a replay stores nothing', async () => {
    const integration = await makeIntegration({ autoReplyText: 'Obrigado! Já respondemos.' });
    const client = uniq();
    const update = clientText(client, 'Olá, tudo bem?', { name: 'Ana Souza' });
    const first = await ingest(integration, update);
    expect(first.duplicate).toBe(false);
    expect(first.outbound).toHaveLength(1);
    const again = await ingest(integration, update);
    expect(again.duplicate).toBe(true);

    const chat = await db().select().from(chats).where(eq(chats.externalChatId, client)).get();
    expect(chat).toMatchObject({ status: 'open', responsibleId: null, lastMessagePreview: 'Olá, tudo bem?' });
    const contact = await db().select().from(contacts).where(eq(contacts.id, chat!.contactId)).get();
    expect(contact!.name).toBe('Ana Souza');
    const stored = await db().select().from(messages).where(eq(messages.chatId, chat!.id)).all();
    expect(stored.map((m) => [m.direction, m.origin, m.status])).toEqual([['in', 'client', 'received'], ['out', 'auto_reply', 'sending']]);
    const events = await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chat!.id)).all();
    expect(events.map((e) => e.type).sort()).toEqual(['auto_reply_sent', 'opened', 'unassigned']);
    const keys = await db().select().from(processedUpdates).where(eq(processedUpdates.integrationId, integration.id)).all();
    expect(keys).toHaveLength(1);
  });

  it('concurrent copies of one update are stored exactly once', async () => {
    const integration = await makeIntegration();
    const update = clientText(uniq(), 'duplicated');
    const results = await Promise.all(Array.from({ length: 5 }, () => ingest(integration, update)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const rows = await db().select().from(messages).where(eq(messages.text, 'duplicated')).all();
    expect(rows).toHaveLength(1);
  });

  it('concurrent first messages of one client make one chat', async () => {
    const integration = await makeIntegration();
    const client = uniq();
    await Promise.all([1, 2, 3, 4].map((n) => ingest(integration, clientText(client, `msg ${n}`))));
    const rows = await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).all();
    expect(rows).toHaveLength(1);
    const msgs = await db().select().from(messages).where(eq(messages.chatId, rows[0].id)).all();
    expect(msgs).toHaveLength(4);
  });

  it('greets once on /start, auto-replies to the first real text, not to later ones', async () => {
    const integration = await makeIntegration({ greetingText: 'Bem-vindo!', autoReplyText: 'Já vamos responder.' });
    const client = uniq();
    const start = await ingest(integration, clientText(client, '/start', { start: true }));
    const restart = await ingest(integration, clientText(client, '/start', { start: true }));
    const text1 = await ingest(integration, clientText(client, 'Quero um sofá'));
    const text2 = await ingest(integration, clientText(client, 'Azul'));
    expect([start.outbound.length, restart.outbound.length, text1.outbound.length, text2.outbound.length]).toEqual([1, 0, 1, 0]);
  });

  it('a client writing to a closed chat reopens it to the manager who had it', async () => {
    const manager = await makeUser('employee');
    const integration = await makeIntegration({ autoReplyText: 'Olá de novo' });
    const client = uniq();
    const deps = ingestDeps(async () => manager.id);
    await ingest(integration, clientText(client, 'primeira'), deps);
    const chat = (await db().select().from(chats).where(eq(chats.externalChatId, client)).get())!;
    await db().update(chats).set({ status: 'closed', closedAt: Date.now(), lastResponsibleId: manager.id }).where(eq(chats.id, chat.id));
    const reopened = await ingest(integration, clientText(client, 'voltei'), ingestDeps(async () => 'should-not-be-asked'));
    expect(reopened.outbound).toHaveLength(1);
    // Open chat windows must see the reopen and the auto-reply events live, not only after a reload.
    const publishedEvents = reopened.changes.filter((c) => c.kind === 'event').map((c) => (c as { eventId: string }).eventId);
    const eventTypes = await db().select({ type: chatEvents.type }).from(chatEvents).where(inArray(chatEvents.id, publishedEvents)).all();
    expect(eventTypes.map((e) => e.type).sort()).toEqual(['auto_reply_sent', 'reopened']);
    const after = (await db().select().from(chats).where(eq(chats.id, chat.id)).get())!;
    expect(after).toMatchObject({ status: 'open', responsibleId: manager.id, closedAt: null });
    const types = (await db().select({ type: chatEvents.type }).from(chatEvents).where(eq(chatEvents.chatId, chat.id)).all()).map((e) => e.type);
    expect(types).toContain('reopened');
  });
});
