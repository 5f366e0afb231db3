/** Settings → History over HTTP, and an archived chat opened through the API: timeline, search, files. */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveColdHistory } from '../../worker/domain/history';
import { closedChat, NOW, resetArchiveWalk } from '../support/cold-history';
import { db } from '../support/factory';
import { call } from '../support/http';
import { makeTeam, type Team, type TeamCookies } from '../support/team';

const people = {} as Team;
const cookie = {} as TeamCookies;
beforeAll(() => makeTeam(people, cookie));

describe('Settings → History', () => {
  it('admins read and set the retention; the default comes from wrangler.toml; bad input is a 400 that changes nothing', async () => {
    const get = async () => (await call('GET', '/api/settings/history', { cookie: cookie.admin })).json();
    expect(await get()).toMatchObject({ archiveAfterMonths: 12, defaultMonths: 12, source: 'default' });
    const put = (body: unknown, who = cookie.admin) => call('PUT', '/api/settings/history', { cookie: who, body });
    expect(await (await put({ archiveAfterMonths: 6 })).json()).toMatchObject({ archiveAfterMonths: 6, source: 'settings' });
    for (const bad of [{ archiveAfterMonths: 121 }, { archiveAfterMonths: -1 }, { archiveAfterMonths: 1.5 }, { archiveAfterMonths: '6' }, {}, { archiveAfterMonths: 6, extra: 1 }]) {
      expect((await put(bad)).status).toBe(400);
    }
    expect((await put({ archiveAfterMonths: 0 }, cookie.ana)).status).toBe(403);
    expect((await put({ archiveAfterMonths: 0 }, cookie.olga)).status).toBe(403);
    expect((await call('GET', '/api/settings/history', { cookie: cookie.ana })).status).toBe(403);
    expect(await get()).toMatchObject({ archiveAfterMonths: 6, source: 'settings' });
    expect(await (await put({ archiveAfterMonths: null })).json()).toMatchObject({ archiveAfterMonths: 12, source: 'default' });
  });
});

describe('an archived chat over HTTP', () => {
  it('shows its history, finds it, serves its files, and never serves the archive object itself', async () => {
    const chat = await closedChat(['Bom dia, o pedido 77 chegou?', 'obrigado'], undefined, { reply: 'Chegou sim' });
    await env.MEDIA.put(`${chat.chatId}-file1`, 'the file');
    await db().run(sql`UPDATE messages SET attachments = ${JSON.stringify([{ kind: 'document', key: `${chat.chatId}-file1`, fileName: 'a.txt', mimeType: 'text/plain', size: 8 }])} WHERE chat_id = ${chat.chatId} AND text = 'obrigado'`);
    await resetArchiveWalk();
    expect((await archiveColdHistory({ db: db(), bucket: env.MEDIA, now: () => NOW }, 12)).messages).toBe(3);

    const timeline = await (await call('GET', `/api/chats/${chat.chatId}/timeline?limit=50`, { cookie: cookie.ana })).json() as { items: { kind: string; text?: string; attachments?: { url: string }[] }[] };
    const msgs = timeline.items.filter((i) => i.kind === 'message');
    expect(msgs.map((m) => m.text)).toEqual(['Bom dia, o pedido 77 chegou?', 'obrigado', 'Chegou sim']);
    const url = msgs[1].attachments![0].url;
    const file = await call('GET', url, { cookie: cookie.ana });
    expect(await file.text()).toBe('the file');

    const search = await (await call('GET', `/api/chats/${chat.chatId}/search?q=pedido`, { cookie: cookie.ana })).json() as { items: { text: string }[] };
    expect(search.items.map((i) => i.text)).toEqual(['Bom dia, o pedido 77 chegou?']);

    const [key] = (await env.MEDIA.list({ prefix: `history/${chat.chatId}/` })).objects.map((o) => o.key);
    expect(key).toBeTruthy();
    const leak = await call('GET', `/api/chats/${chat.chatId}/attachments/${encodeURIComponent(key)}`, { cookie: cookie.ana });
    expect(leak.status).toBe(404);
    // The observer who does not observe it cannot open it at all.
    expect((await call('GET', `/api/chats/${chat.chatId}/timeline`, { cookie: cookie.olga })).status).toBe(404);
  });
});
