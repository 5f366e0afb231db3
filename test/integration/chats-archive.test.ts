import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchArchive, TEXT_CANDIDATES } from '../../worker/data/archive';
import { database } from '../../worker/data/db';
import { decodeCursor } from '../../worker/data/keyset';
import { setTags } from '../../worker/domain/chats';
import type { ChatListItem } from '../../worker/shared/chats';
import { countingD1 } from '../support/counting-d1';
import { clientWrites, close, makeChat, observe, setupAdmin } from '../support/chat-world';
import { db, makeIntegration, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';

const H = 3600_000;
const T0 = Date.UTC(2025, 2, 10, 12);
const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

describe('GET /api/chats/archive', () => {
  const id: Record<string, string> = {};
  let ana: { id: string }, bruno: { id: string };
  let cookie: string, observerCookie: string;
  let tg: { id: string }, viber: { id: string };

  beforeAll(async () => {
    ana = await makeUser('employee');
    bruno = await makeUser('employee');
    const olga = await makeUser('observer');
    const admin = await makeUser('admin');
    const telegram = await makeIntegration({ name: 'Loja TG' });
    const viberBot = await makeIntegration({ name: 'Loja Viber', channel: 'viber' });
    [tg, viber] = [telegram, viberBot];
    const spec = [
      { key: 'k1', integration: telegram, responsibleId: ana.id, at: T0, name: 'João Silva', texts: ['Quero um sofá azul'] },
      { key: 'k2', integration: telegram, responsibleId: null, at: T0 + 1 * H, name: 'Maria Souza', texts: ['Preço da mesa?'] },
      { key: 'k3', integration: viberBot, responsibleId: bruno.id, at: T0 + 2 * H, name: 'Pedro', texts: ['SOFÁ-cama disponível?'] },
      { key: 'k4', integration: viberBot, responsibleId: ana.id, at: T0 + 3 * H, name: 'Joana', texts: ['Obrigado'] },
      { key: 'k5', integration: telegram, responsibleId: bruno.id, at: T0 - 24 * H, name: 'Ana Clara', texts: ['Olá'] },
    ];
    const made: Record<string, Awaited<ReturnType<typeof makeChat>>> = {};
    for (const s of spec) {
      made[s.key] = await makeChat(s);
      id[s.key] = made[s.key].chatId;
    }
    await clientWrites(made.k5, 'Tem cadeira?', T0 + 4 * H);
    await close(id.k3);
    const tagger = await setupAdmin();
    await setTags({ db: db() }, tagger, id.k1, ['VIP']);
    await setTags({ db: db() }, tagger, id.k4, ['vip ', 'Atacado']);
    await observe(id.k1, [olga.id]);
    await observe(id.k3, [olga.id]);
    cookie = await loginAs(admin.email, admin.password);
    observerCookie = await loginAs(olga.email, olga.password);
  });

  async function archive(query: string, who = cookie): Promise<string[]> {
    const res = await call('GET', `/api/chats/archive?${query}`, { cookie: who });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { items: ChatListItem[] };
    return body.items.map((i) => Object.keys(id).find((k) => id[k] === i.id) ?? `new:${i.id}`);
  }

  it('no filter: every chat, newest activity first', async () => {
    expect(await archive('')).toEqual(['k5', 'k4', 'k3', 'k2', 'k1']);
  });

  it.each([
    ['status=open', ['k5', 'k4', 'k2', 'k1']],
    ['status=closed', ['k3']],
    ['responsibleId=ANA', ['k4', 'k1']],
    ['responsibleId=none', ['k2']],
    ['integrationId=VIBER', ['k4', 'k3']],
    ['channel=viber', ['k4', 'k3']],
    ['channel=telegram', ['k5', 'k2', 'k1']],
    ['tag=VIP', ['k4', 'k1']],
    ['tag=atacado', ['k4']],
    ['tag=unknown', []],
    [`from=${at(T0 + 1.5 * H)}&to=${at(T0 + 3.5 * H)}`, ['k4', 'k3']],
    [`from=${at(T0 + 3 * H)}`, ['k5', 'k4']],
    [`startedTo=${at(T0)}`, ['k5']],
    [`startedFrom=${at(T0)}&startedTo=${at(T0 + 2.5 * H)}`, ['k3', 'k2', 'k1']],
    ['q=sofa', ['k3', 'k1']],
    ['q=SOFA%20AZUL', ['k1']],
    ['q=joao', ['k1']],
    ['q=jo', ['k4', 'k1']],
    ['q=cadeira', ['k5']],
    ['q=%22sof%C3%A1', ['k3', 'k1']],
    ['q=!!!', []],
  ])('filter %s', async (query, want) => {
    const q = query.replace('ANA', ana.id).replace('VIBER', viber.id);
    expect(await archive(q)).toEqual(want);
  });

  it.each([
    ['status=open&channel=telegram&q=sofa', ['k1']],
    ['responsibleId=ANA&tag=vip&integrationId=VIBER', ['k4']],
    [`status=open&tag=VIP&from=${at(T0 + H)}`, ['k4']],
    ['integrationId=TG&responsibleId=BRUNO&q=cadeira', ['k5']],
    ['integrationId=TG&responsibleId=BRUNO&q=sofa', []],
    [`channel=viber&status=closed&startedFrom=${at(T0)}&q=sofa`, ['k3']],
  ])('combined %s', async (query, want) => {
    const q = query.replace('ANA', ana.id).replace('BRUNO', bruno.id).replace('VIBER', viber.id).replace('TG', tg.id);
    expect(await archive(q)).toEqual(want);
  });

  it('an observer searches only the chats they observe', async () => {
    expect(await archive('', observerCookie)).toEqual(['k3', 'k1']);
    expect(await archive('q=sofa', observerCookie)).toEqual(['k3', 'k1']);
    expect(await archive('status=open', observerCookie)).toEqual(['k1']);
    expect(await archive('q=cadeira', observerCookie)).toEqual([]);
  });

  it('400 on bad filters', async () => {
    for (const q of ['status=archived', 'from=yesterday', `q=${'x'.repeat(201)}`, 'limit=1000', 'cursor=abc']) {
      expect((await call('GET', `/api/chats/archive?${q}`, { cookie })).status, q).toBe(400);
    }
  });

  it('pagination returns every chat exactly once while new chats arrive between pages', async () => {
    for (const query of ['', 'channel=telegram', 'q=o']) {
      const before = await archive(`${query}&limit=100`);
      const seen: string[] = [];
      let cursor: string | null = null;
      let arrivals = 0;
      do {
        const res = await call('GET', `/api/chats/archive?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { cookie });
        const page = (await res.json()) as { items: ChatListItem[]; nextCursor: string | null };
        seen.push(...page.items.map((i) => Object.keys(id).find((k) => id[k] === i.id) ?? `new:${i.id}`));
        cursor = page.nextCursor;
        // A new client writes in between pages: it sorts above the cursor and cannot shift what follows.
        await makeChat({ integration: tg as never, texts: ['Olá, boa tarde'] });
        arrivals++;
      } while (cursor);
      expect(seen).toEqual(before);
      expect(new Set(seen).size).toBe(seen.length);
      expect(arrivals).toBeGreaterThan(1);
      // The newcomers are there for whoever starts over.
      expect((await archive(`${query}&limit=100`)).filter((k) => k.startsWith('new:')).length).toBeGreaterThanOrEqual(arrivals);
    }
  });
});

describe('GET /api/chats/archive?q= with a very common word', () => {
  it(`searches the newest ${TEXT_CANDIDATES.toLocaleString('en')} matching messages and says the answer is truncated`, async () => {
    const admin = await makeUser('admin');
    const cookie = await loginAs(admin.email, admin.password);
    const integration = await makeIntegration({ name: 'Loja Cheia' });
    const word = `palavra${Date.now().toString(36)}`;
    const oldest = await makeChat({ integration, at: T0 - 500 * H, texts: [`${word} antiga`] });
    const busy = await makeChat({ integration, at: T0 - 400 * H, texts: ['Olá'] });
    // Newer rows than the oldest chat's message: the word in TEXT_CANDIDATES more messages of one chat.
    await env.DB.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
      INSERT INTO messages (id, chat_id, direction, origin, text, status, created_at, attempts, sent_parts)
      SELECT 'fill' || ?2 || i, ?3, 'i', 'c', ?2 || ' ' || i, 'r', ?4 + i, 0, 0 FROM n`) // client messages, received (message-codes.ts)
      .bind(TEXT_CANDIDATES, word, busy.chatId, T0 - 400 * H).run();
    const res = await call('GET', `/api/chats/archive?q=${word}&limit=50`, { cookie });
    const body = (await res.json()) as { items: ChatListItem[]; truncated: boolean };
    expect(body.truncated).toBe(true);
    expect(body.items.map((i) => i.id)).toEqual([busy.chatId]);

    // No page to carry the counts (the busy chat is open): they are read on their own.
    const closedOnly = (await (await call('GET', `/api/chats/archive?q=${word}&status=closed`, { cookie })).json()) as { items: ChatListItem[]; truncated: boolean };
    expect(closedOnly).toMatchObject({ items: [], truncated: true });

    const rare = (await (await call('GET', `/api/chats/archive?q=${word}%20antiga`, { cookie })).json()) as { items: ChatListItem[]; truncated: boolean };
    expect(rare).toMatchObject({ truncated: false });
    expect(rare.items.map((i) => i.id)).toEqual([oldest.chatId]);
  });
});

describe('archive text search round trips', () => {
  it('takes the page and what its search covered in one round trip, with the same answer', async () => {
    const integration = await makeIntegration({ name: 'Loja Uma Ida' });
    const word = `ida${Date.now().toString(36)}`;
    const chat = await makeChat({ integration, at: T0, texts: [`${word} por favor`] });
    const counting = countingD1(env.DB);
    const viewer = { id: (await makeUser('admin')).id, scope: 'all' as const };
    const found = await searchArchive(database(counting.d1), viewer, { q: word }, decodeCursor(null), 50);
    expect(counting.trips()).toBe(1);
    expect(found).toMatchObject({ truncated: false, olderHistoryNotSearched: false, nextCursor: null });
    expect(found.items.map((i) => i.id)).toEqual([chat.chatId]);
    expect(found).toEqual(await searchArchive(db(), viewer, { q: word }, decodeCursor(null), 50));
  });
});
