/** The Contacts routes through the real fetch handler: directory, contact page, merge and old links. */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { observe } from '../support/chat-world';
import { createFunnel } from '../../worker/domain/crm';
import { chats } from '../../worker/data/schema';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../support/factory';
import { call, loginAs } from '../support/http';

let employee: string;
let observer: string;
let observerId: string;
beforeAll(async () => {
  const e = await makeUser('employee');
  const o = await makeUser('observer');
  observerId = o.id;
  employee = await loginAs(e.email, e.password);
  observer = await loginAs(o.email, o.password);
});

const req = async (method: string, path: string, cookie: string, body?: unknown) => {
  const res = await call(method, path, { cookie, body });
  return { status: res.status, body: (await res.json()) as any };
};

async function personOnTwoBots(name: string) {
  const funnel = await createFunnel({ db: db() }, { name: `F ${uniq()}`, stages: ['Novo'] });
  const tg = await makeIntegration({ funnelId: funnel.id });
  const vb = await makeIntegration({ funnelId: funnel.id, channel: 'viber' });
  const [u1, u2] = [uniq(), uniq()];
  await ingest(tg, clientText(u1, 'Oi', { name }));
  await ingest(vb, clientText(u2, 'Olá', { name }));
  const chatOf = async (integrationId: string, ext: string) => (await db().select().from(chats).where(and(eq(chats.integrationId, integrationId), eq(chats.externalChatId, ext))).get())!;
  return { tgChat: await chatOf(tg.id, u1), vbChat: await chatOf(vb.id, u2) };
}

describe('contacts routes', () => {
  it('search, open, see the duplicate, merge, and the old link answers {mergedInto}', async () => {
    const name = `Estêvão ${uniq()}`;
    const { tgChat, vbChat } = await personOnTwoBots(name);
    const list = await req('GET', `/api/contacts?q=${encodeURIComponent(name.replace('ê', 'e').replace('ã', 'a'))}`, employee);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: any) => c.id).sort()).toEqual([tgChat.contactId, vbChat.contactId].sort());

    const page = await req('GET', `/api/contacts/${tgChat.contactId}`, employee);
    expect(page.body.chats.map((c: any) => c.id)).toEqual([tgChat.id]);
    expect(page.body.opportunities).toHaveLength(1);
    expect(page.body.duplicates).toEqual([expect.objectContaining({ id: vbChat.contactId, reason: 'name', channels: ['viber'] })]);

    const merged = await req('POST', `/api/contacts/${tgChat.contactId}/merge`, employee, { otherId: vbChat.contactId });
    expect(merged.status).toBe(200);
    expect(merged.body.identities.map((i: any) => i.channel).sort()).toEqual(['telegram', 'viber']);
    const again = await req('POST', `/api/contacts/${tgChat.contactId}/merge`, employee, { otherId: vbChat.contactId });
    expect(again.status).toBe(200);

    const after = await req('GET', `/api/contacts/${tgChat.contactId}`, employee);
    expect(after.body.chats.map((c: any) => c.id).sort()).toEqual([tgChat.id, vbChat.id].sort());
    expect(after.body.opportunities).toHaveLength(2);
    expect(after.body.duplicates).toEqual([]);
    expect(await req('GET', `/api/contacts/${vbChat.contactId}`, employee)).toEqual({ status: 200, body: { mergedInto: tgChat.contactId } });
    expect((await req('PATCH', `/api/contacts/${vbChat.contactId}`, employee, { phone: '1' })).status).toBe(409);
    expect((await req('POST', `/api/contacts/${vbChat.contactId}/merge`, employee, { otherId: tgChat.contactId })).status).toBe(409);
  });

  it('the OpenAPI document lists the contacts, merge and board routes', async () => {
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/contacts'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/contacts/{id}/merge'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/funnels/{id}/board'] ?? {})).toContain('get');
  });

  it('bad input is a 400 that changes nothing', async () => {
    expect((await req('GET', '/api/contacts?cursor=%21%21', employee)).status).toBe(400);
    expect((await req('GET', '/api/contacts?limit=0', employee)).status).toBe(400);
    const { tgChat } = await personOnTwoBots(`Ana ${uniq()}`);
    expect((await req('POST', `/api/contacts/${tgChat.contactId}/merge`, employee, {})).status).toBe(400);
    expect((await req('POST', `/api/contacts/${tgChat.contactId}/merge`, employee, { otherId: tgChat.contactId })).status).toBe(400);
    expect((await req('POST', `/api/contacts/${tgChat.contactId}/merge`, employee, { otherId: 'nope' })).status).toBe(404);
  });

  it('an observer sees a contact only through the chats they observe, and no directory', async () => {
    const { tgChat, vbChat } = await personOnTwoBots(`Olga ${uniq()}`);
    await req('POST', `/api/contacts/${tgChat.contactId}/merge`, employee, { otherId: vbChat.contactId });
    await observe(tgChat.id, [observerId]);
    expect((await req('GET', '/api/contacts', observer)).status).toBe(403);
    const page = await req('GET', `/api/contacts/${tgChat.contactId}`, observer);
    expect(page.status).toBe(200);
    expect(page.body.chats.map((c: any) => c.id)).toEqual([tgChat.id]);
    expect(page.body.opportunities.map((o: any) => o.chatId)).toEqual([tgChat.id]);
    expect(page.body.duplicates).toEqual([]);
  });
});
