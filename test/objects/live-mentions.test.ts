/**
 * A mention's live notice through the real routes and the real InboxFeed: only the person mentioned
 * gets a `mentions` frame (on every tab of theirs), with their badge count; reading the chat sends
 * them the cleared count.
 */
import { describe, expect, it } from 'vitest';
import { makeChat } from '../support/chat-world';
import { call } from '../support/http';
import { open, person } from './live-support';

const comment = async (cookie: string, chatId: string, text: string, mentions: string[]) => {
  const res = await call('POST', `/api/chats/${chatId}/comments`, { cookie, body: { text, mentions } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
};

describe('GET /api/live: mention notices', () => {
  it('reach only the people mentioned, on each of their tabs, and reading the chat clears the badge live', async () => {
    const ana = await person('employee', 'AnaLive');
    const bruno = await person('employee', 'BrunoLive');
    const caio = await person('employee', 'CaioLive');
    const { chatId } = await makeChat({ responsibleId: ana.id, name: 'Cliente Ao Vivo' });
    const anaTab = await open('/api/live', ana.cookie);
    const brunoTab = await open('/api/live', bruno.cookie);
    const brunoOtherTab = await open('/api/live', bruno.cookie);
    const caioTab = await open('/api/live', caio.cookie);

    const first = await comment(ana.cookie, chatId, '@BrunoLive olha este cliente', [bruno.id]);
    for (const tab of [brunoTab, brunoOtherTab]) {
      const frame = await tab.take((f) => f.type === 'mentions');
      expect(frame).toMatchObject({
        ephemeral: true, unread: 1,
        mention: { chatId, commentId: first.id, authorId: ana.id, authorName: 'AnaLive', contactName: 'Cliente Ao Vivo', text: '@BrunoLive olha este cliente', readAt: null },
      });
    }
    // Caio's and Ana's first mention frames are the ones meant for them, not Bruno's.
    const second = await comment(bruno.cookie, chatId, '@CaioLive @AnaLive também', [caio.id, ana.id]);
    expect(await caioTab.take((f) => f.type === 'mentions')).toMatchObject({ unread: 1, mention: { commentId: second.id } });
    expect(await anaTab.take((f) => f.type === 'mentions')).toMatchObject({ unread: 1, mention: { commentId: second.id, authorName: 'BrunoLive' } });

    // Bruno opens the chat (its newest timeline page): his tabs get the cleared badge.
    expect((await call('GET', `/api/chats/${chatId}/timeline`, { cookie: bruno.cookie })).status).toBe(200);
    expect(await brunoOtherTab.take((f) => f.type === 'mentions')).toMatchObject({ unread: 0, mention: null });
    const mine = (await (await call('GET', '/api/me/mentions', { cookie: bruno.cookie })).json()) as { unread: number; items: { readAt: string | null }[] };
    expect(mine.unread).toBe(0);
    expect(mine.items[0].readAt).not.toBeNull();
    // Caio still has his, until he marks it read from the list.
    expect(((await (await call('GET', '/api/me/mentions?unread=true', { cookie: caio.cookie })).json()) as { unread: number }).unread).toBe(1);
    expect(await (await call('POST', '/api/me/mentions/read', { cookie: caio.cookie, body: {} })).json()).toEqual({ unread: 0 });
    expect(await caioTab.take((f) => f.type === 'mentions')).toMatchObject({ unread: 0, mention: null });
    for (const tab of [anaTab, brunoTab, brunoOtherTab, caioTab]) tab.close();
  });
});
