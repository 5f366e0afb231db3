/**
 * People and bots get 9-character ids (newShortId): two isolates can make the same one in the same
 * second, so the insert takes another instead of failing. Here the id createUser is about to make is
 * taken first (the random part pinned, so the next id is known). And a request racing another for the
 * same email gets the 409 the check gives, not a constraint error. A new client's contact, chat and
 * opportunity get ids of the same shape (newConversationId): a taken one makes the webhook's batch fail
 * and ingest plan the update again under fresh ids.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../../worker/domain/accounts';
import { createFunnel } from '../../../worker/domain/crm';
import { chats, contactIdentities, contacts, messages, opportunities, users } from '../../../worker/data/schema';
import { newConversationId, newShortId } from '../../../worker/shared/ids';
import { clientText, db, ingest, ingestDeps, makeIntegration, uniq } from '../../support/factory';

afterEach(() => { vi.restoreAllMocks(); });

describe('createUser under a short id', () => {
  it('makes a 9-character id', async () => {
    const user = await createUser(db(), { email: `${uniq()}@example.com`, name: 'Bia', role: 'employee', password: 'secret-pass' });
    expect(user.id).toMatch(/^[0-9a-z]{9}$/);
    expect((await db().select().from(users).where(eq(users.id, user.id)).get())?.email).toBe(user.email);
  });

  it('takes another id when the one it made is already taken', async () => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(0);
      return array;
    });
    const at = Date.UTC(2027, 2, 3, 4, 5, 6);
    const probe = newShortId(at);
    const next = probe.slice(0, 6) + (parseInt(probe[6], 36) + 1).toString(36) + '00';
    await env.DB.prepare(`INSERT INTO users (id, email, name, role, password_hash, password_salt, created_at) VALUES (?, ?, 'Taken', 'employee', 'x', 'x', 1)`)
      .bind(next, `${uniq()}@example.com`).run();

    const user = await createUser(db(), { email: `${uniq()}@example.com`, name: 'Caio', role: 'employee', password: 'secret-pass' }, at);
    expect(user.id).not.toBe(next);
    expect(user.id).toMatch(/^[0-9a-z]{9}$/);
    const rows = await db().select({ id: users.id, name: users.name }).from(users).where(eq(users.name, 'Caio')).all();
    expect(rows).toEqual([{ id: user.id, name: 'Caio' }]);
    expect((await db().select({ name: users.name }).from(users).where(eq(users.id, next)).get())?.name).toBe('Taken');
  });
});

describe('createUser racing another request for the same email', () => {
  it('answers 409 email_taken, not a constraint error, when the email is taken after its check', async () => {
    const email = `${uniq()}@example.com`;
    const real = db();
    // The other request's insert lands between this one's check and its insert.
    const racing = new Proxy(real, {
      get(target, key, receiver) {
        if (key !== 'insert') return Reflect.get(target, key, receiver);
        return (table: typeof users) => {
          const insert = target.insert(table);
          return { values: (row: typeof users.$inferInsert) => {
            const builder = insert.values(row);
            return { onConflictDoNothing: () => ({ returning: async (fields: Parameters<typeof builder.returning>[0]) => {
              await env.DB.prepare(`INSERT INTO users (id, email, name, role, password_hash, password_salt, created_at) VALUES (?, ?, 'First', 'employee', 'x', 'x', 1)`)
                .bind(`r${uniq()}`.slice(0, 12), email).run();
              return builder.onConflictDoNothing().returning(fields!);
            } }) };
          } };
        };
      },
    });
    await expect(createUser(racing, { email, name: 'Second', role: 'employee', password: 'secret-pass' })).rejects.toMatchObject({ status: 409, code: 'email_taken' });
    expect((await db().select({ name: users.name }).from(users).where(eq(users.email, email)).all()).map((u) => u.name)).toEqual(['First']);
  });
});

/** The id newConversationId makes after `id` in the same second (random part pinned to zeros). */
function following(id: string): string {
  const seq = parseInt(id[6], 36) + 1;
  if (seq < 36) return id.slice(0, 6) + seq.toString(36) + '00';
  return (parseInt(id.slice(0, 6), 36) + 1).toString(36).padStart(6, '0') + '000';
}

describe('a new client under short ids', () => {
  const pinRandom = () => vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => {
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(0);
    return array;
  });

  it('gets a 9-character contact, chat and opportunity', async () => {
    const funnel = await createFunnel({ db: db() }, { name: `Funil ${uniq()}`, stages: ['Novo'] });
    const integration = await makeIntegration({ funnelId: funnel.id });
    const client = uniq();
    await ingest(integration, clientText(client, 'oi'));
    const chat = (await db().select().from(chats).where(eq(chats.externalChatId, client)).get())!;
    expect(chat.id).toMatch(/^[0-9a-z]{9}$/);
    expect(chat.contactId).toMatch(/^[0-9a-z]{9}$/);
    const opportunity = await db().select({ id: opportunities.id }).from(opportunities).where(eq(opportunities.chatId, chat.id)).all();
    expect(opportunity.map((o) => o.id)).toEqual([expect.stringMatching(/^[0-9a-z]{9}$/)]);
  });

  for (const taken of ['chat', 'contact'] as const) {
    it(`plans the update again when the ${taken}'s id is taken, and stores it once under fresh ids`, async () => {
      const integration = await makeIntegration();
      const other = await makeIntegration();
      const bystander = uniq();
      await ingest(other, clientText(bystander, 'someone else'));
      const theirs = (await db().select().from(chats).where(eq(chats.externalChatId, bystander)).get())!;

      pinRandom();
      const at = Date.UTC(2027, 4, taken === 'chat' ? 6 : 7, 8, 9, 10);
      // Ingest makes the contact's id first, then the chat's.
      const contactNext = following(newConversationId(at));
      const chatNext = following(contactNext);
      if (taken === 'chat') {
        await env.DB.prepare(`INSERT INTO chats (id, integration_id, channel, contact_id, external_chat_id, status, started_at, last_message_at)
          VALUES (?, ?, ?, ?, ?, 'open', 1, 1)`).bind(chatNext, other.id, other.channel, theirs.contactId, `taken-${uniq()}`).run();
      } else {
        await env.DB.prepare(`INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, 'Taken', 1, 1)`).bind(contactNext).run();
      }

      const client = uniq();
      const result = await ingest(integration, clientText(client, 'a first message', { name: 'Nova' }), { ...ingestDeps(), now: () => at });
      expect(result.duplicate).toBe(false);

      const mine = await db().select().from(chats).where(and(eq(chats.integrationId, integration.id), eq(chats.externalChatId, client))).all();
      expect(mine).toHaveLength(1);
      expect(mine[0].id).toMatch(/^[0-9a-z]{9}$/);
      // Planned again: the second try's contact and chat take the next two ids of the sequence.
      expect(mine[0].contactId).toBe(following(chatNext));
      expect(mine[0].id).toBe(following(following(chatNext)));
      expect((await db().select({ text: messages.text }).from(messages).where(eq(messages.chatId, mine[0].id)).all()).map((m) => m.text)).toEqual(['a first message']);
      const identity = await db().select().from(contactIdentities).where(and(eq(contactIdentities.integrationId, integration.id), eq(contactIdentities.externalId, client))).all();
      expect(identity.map((i) => i.contactId)).toEqual([mine[0].contactId]);
      expect((await db().select({ name: contacts.name }).from(contacts).where(eq(contacts.id, mine[0].contactId)).get())?.name).toBe('Nova');

      // What held the id before is as it was: nothing of the new client landed on it.
      if (taken === 'chat') {
        expect(await db().select({ id: messages.id }).from(messages).where(eq(messages.chatId, chatNext)).all()).toEqual([]);
        expect((await db().select({ externalChatId: chats.externalChatId }).from(chats).where(eq(chats.id, chatNext)).get())?.externalChatId).toMatch(/^taken-/);
      } else {
        expect((await db().select({ name: contacts.name }).from(contacts).where(eq(contacts.id, contactNext)).get())?.name).toBe('Taken');
        expect(await db().select().from(contactIdentities).where(eq(contactIdentities.contactId, contactNext)).all()).toEqual([]);
      }
    });
  }
});
