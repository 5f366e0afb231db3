/**
 * A contact's opportunities come newest first whatever shape their ids have: one a webhook opened has a
 * 9-character id (newConversationId), one opened by hand or before 2026-12-05 a 15-character one, and
 * the two shapes do not sort by time against each other.
 */
import { describe, expect, it } from 'vitest';
import { contactRelated, createFunnel, createOpportunity, listOpportunities, mergeContacts } from '../../../worker/domain/crm';
import { chats } from '../../../worker/data/schema';
import { eq } from 'drizzle-orm';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';

describe("a contact's opportunities", () => {
  it('come newest first, ids of either shape', async () => {
    const funnel = await createFunnel({ db: db() }, { name: `Funil ${uniq()}`, stages: ['Novo', 'Ganho'] });
    const telegram = await makeIntegration({ funnelId: funnel.id });
    const viber = await makeIntegration({ funnelId: funnel.id, channel: 'viber' });
    const admin = await makeUser('admin');
    const contactOf = async (integrationId: string) => (await db().select({ contactId: chats.contactId }).from(chats).where(eq(chats.integrationId, integrationId)).get())!.contactId;

    await ingest(telegram, clientText(uniq(), 'Oi', { name: 'Rita Souza' }));
    const rita = await contactOf(telegram.id);
    await createOpportunity({ db: db() }, admin, { contactId: rita, funnelId: funnel.id, title: 'By hand' });
    // The same person on another bot, then merged: her newest opportunity was opened by that webhook.
    await ingest(viber, clientText(uniq(), 'Olá', { name: 'Rita Souza' }));
    await mergeContacts({ db: db() }, admin, rita, await contactOf(viber.id));

    const listed = await listOpportunities(db(), admin, { contactId: rita, limit: 10 });
    expect(listed.map((o) => o.id.length)).toEqual([9, 15, 9]);
    expect(listed.map((o) => o.title)).toEqual([`Rita Souza — ${viber.name}`, 'By hand', `Rita Souza — ${telegram.name}`]);
    expect((await contactRelated(db(), admin, rita)).opportunities.map((o) => o.title)).toEqual(listed.map((o) => o.title));
  });
});
