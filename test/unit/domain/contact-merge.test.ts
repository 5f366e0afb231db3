/** Merging two contacts that are one person, including a webhook racing the merge. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chatEvents, chats, contactIdentities, contacts, opportunities, tasks } from '../../../worker/data/schema';
import { createFunnel, createTask, findContact, mergeContacts, searchContacts, updateContact } from '../../../worker/domain/crm';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';

/** One person writing to a Telegram bot and to a Viber bot: two contacts, two chats, two opportunities. */
async function onePersonTwoChannels() {
  const funnel = await createFunnel({ db: db() }, { name: `Funil ${uniq()}`, stages: ['Novo', 'Ganho'] });
  const telegram = await makeIntegration({ funnelId: funnel.id });
  const viber = await makeIntegration({ funnelId: funnel.id, channel: 'viber' });
  const tgUser = uniq();
  const viberUser = uniq();
  await ingest(telegram, clientText(tgUser, 'Oi', { name: 'João Silva' }));
  await ingest(viber, clientText(viberUser, 'Olá', { name: 'João Silva' }));
  const chatOf = async (integrationId: string) => (await db().select().from(chats).where(eq(chats.integrationId, integrationId)).get())!;
  return { funnel, telegram, viber, tgUser, viberUser, tgChat: await chatOf(telegram.id), viberChat: await chatOf(viber.id) };
}

describe('mergeContacts', () => {
  it('moves chats, opportunities, tasks and identities to the survivor, fills its empty fields, leaves a pointer and an event per chat', async () => {
    const w = await onePersonTwoChannels();
    const admin = await makeUser('admin');
    const survivor = w.tgChat.contactId;
    const other = w.viberChat.contactId;
    await updateContact({ db: db() }, other, { phone: '+55 11 98888-7777', email: 'joao@example.com' });
    await updateContact({ db: db() }, survivor, { email: 'joao.silva@example.com' });
    const task = await createTask({ db: db() }, admin, { title: 'Ligar', contactId: other });

    const result = await mergeContacts({ db: db() }, admin, survivor, other);
    expect(result).toEqual({ survivorId: survivor, merged: true });

    expect(await findContact(db(), other)).toEqual({ mergedInto: survivor });
    const kept = await findContact(db(), survivor);
    expect(kept).toMatchObject({ phone: '+55 11 98888-7777', email: 'joao.silva@example.com' });
    expect('identities' in kept && kept.identities.map((i) => i.channel).sort()).toEqual(['telegram', 'viber']);
    expect((await db().select().from(chats).where(eq(chats.contactId, survivor)).all()).map((c) => c.id).sort()).toEqual([w.tgChat.id, w.viberChat.id].sort());
    expect(await db().select().from(opportunities).where(eq(opportunities.contactId, other)).all()).toEqual([]);
    expect((await db().select().from(opportunities).where(eq(opportunities.contactId, survivor)).all())).toHaveLength(2);
    expect((await db().select().from(tasks).where(eq(tasks.id, task.id)).get())!.contactId).toBe(survivor);
    for (const chatId of [w.tgChat.id, w.viberChat.id]) {
      const events = await db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).all();
      expect(events.filter((e) => e.type === 'contact_merged')).toHaveLength(1);
    }
    // The merged-away contact leaves the directory.
    const page = await searchContacts(db(), { q: 'joao silva', limit: 100 });
    expect(page.items.map((c) => c.id)).toContain(survivor);
    expect(page.items.map((c) => c.id)).not.toContain(other);
  });

  it('is idempotent and refuses a cycle or a contact merged elsewhere', async () => {
    const w = await onePersonTwoChannels();
    const admin = await makeUser('admin');
    const [a, b] = [w.tgChat.contactId, w.viberChat.contactId];
    await mergeContacts({ db: db() }, admin, a, b);
    const eventsBefore = await db().select().from(chatEvents).where(eq(chatEvents.type, 'contact_merged')).all();
    expect(await mergeContacts({ db: db() }, admin, a, b)).toEqual({ survivorId: a, merged: false });
    expect(await db().select().from(chatEvents).where(eq(chatEvents.type, 'contact_merged')).all()).toHaveLength(eventsBefore.length);
    await expect(mergeContacts({ db: db() }, admin, b, a)).rejects.toMatchObject({ status: 409 });
    await expect(mergeContacts({ db: db() }, admin, a, a)).rejects.toMatchObject({ status: 400 });
    await expect(mergeContacts({ db: db() }, admin, a, 'nope')).rejects.toMatchObject({ status: 404 });
  });

  it('a webhook that read the merged-away identity before the merge still lands its new chat and opportunity on the survivor', async () => {
    const w = await onePersonTwoChannels();
    const admin = await makeUser('admin');
    const [survivor, other] = [w.tgChat.contactId, w.viberChat.contactId];
    // The Viber user writes from a new conversation; the webhook has already resolved the identity to
    // `other` when the merge commits (the queue is asked between the read and the write).
    let merged = false;
    const racing = ingestDeps(async () => {
      if (!merged) { merged = true; await mergeContacts({ db: db() }, admin, survivor, other); }
      return null;
    });
    const newConversation = { ...clientText(w.viberUser, 'Sou eu de novo'), };
    (newConversation.events[0] as { sender: { externalChatId: string } }).sender.externalChatId = uniq();
    await ingest(w.viber, newConversation, racing);
    expect(merged).toBe(true);

    expect(await db().select().from(chats).where(eq(chats.contactId, other)).all()).toEqual([]);
    expect(await db().select().from(opportunities).where(eq(opportunities.contactId, other)).all()).toEqual([]);
    expect(await db().select().from(chats).where(eq(chats.contactId, survivor)).all()).toHaveLength(3);
    // And the next message from either identity resolves to the survivor.
    const identity = await db().select().from(contactIdentities).where(eq(contactIdentities.externalId, w.viberUser)).get();
    expect(identity!.contactId).toBe(survivor);
    await ingest(w.viber, clientText(w.viberUser, 'Mais uma'));
    expect(await db().select().from(chats).where(eq(chats.contactId, other)).all()).toEqual([]);
    expect((await db().select().from(contacts).where(eq(contacts.id, other)).get())!.mergedIntoId).toBe(survivor);
  });

  it('a merge racing messages from both identities: every chat ends on the survivor', async () => {
    const w = await onePersonTwoChannels();
    const admin = await makeUser('admin');
    const [survivor, other] = [w.tgChat.contactId, w.viberChat.contactId];
    const fresh = (ext: string) => {
      const u = clientText(ext, 'nova conversa');
      (u.events[0] as { sender: { externalChatId: string } }).sender.externalChatId = uniq();
      return u;
    };
    await Promise.all([
      ingest(w.viber, fresh(w.viberUser)), ingest(w.telegram, fresh(w.tgUser)),
      mergeContacts({ db: db() }, admin, survivor, other),
      ingest(w.viber, fresh(w.viberUser)), ingest(w.viber, clientText(w.viberUser, 'mesma conversa')),
    ]);
    expect(await db().select().from(chats).where(eq(chats.contactId, other)).all()).toEqual([]);
    expect(await db().select().from(chats).where(eq(chats.contactId, survivor)).all()).toHaveLength(5);
  });
});

describe('searchContacts', () => {
  it('finds by name without accents, phone digits, email, company and username; pages by cursor', async () => {
    const tag = uniq();
    const funnel = await createFunnel({ db: db() }, { name: `Funil ${tag}`, stages: ['Novo'] });
    const bot = await makeIntegration({ funnelId: funnel.id });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await ingest(bot, clientText(`${tag}${i}`, 'Oi', { name: `Conceição ${tag} ${i}` }));
      ids.push((await db().select().from(chats).where(eq(chats.externalChatId, `${tag}${i}`)).get())!.contactId);
    }
    await updateContact({ db: db() }, ids[0], { phone: '+55 (21) 97777-1234', email: `ana.${tag}@acme.com.br`, company: `Padaria Pão ${tag}` });
    const find = async (q: string) => (await searchContacts(db(), { q, limit: 10 })).items.map((c) => c.id);
    expect((await find(`conceicao ${tag}`)).sort()).toEqual([...ids].sort());
    expect(await find('5521977771234')).toEqual([ids[0]]);
    expect(await find('97777-1234')).toContain(ids[0]);
    expect(await find(`ana.${tag}@acme`)).toEqual([ids[0]]);
    expect(await find(`padaria pao ${tag}`)).toEqual([ids[0]]);

    const first = await searchContacts(db(), { q: `conceicao ${tag}`, limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await searchContacts(db(), { q: `conceicao ${tag}`, cursor: first.nextCursor!, limit: 2 });
    expect(second.items.map((c) => c.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    await expect(searchContacts(db(), { q: 'x', cursor: '!!', limit: 2 })).rejects.toMatchObject({ status: 400 });
  });
});
