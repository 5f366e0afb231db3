/**
 * Mentions in team comments, through the domain functions: who may be mentioned (the one policy:
 * active colleagues who may see the chat), the notice reaching only the people mentioned, the badge
 * count, and reading the chat clearing it.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import { recordingD1, type Recorded } from '../../support/recording-d1';
import { eq } from 'drizzle-orm';
import { addComment, listComments, markRead, readTimeline, setObservers } from '../../../worker/domain/chats';
import { listMentionable, listMyMentions, readMyMentions } from '../../../worker/domain/mentions';
import { updateUser } from '../../../worker/domain/accounts';
import { comments, mentions } from '../../../worker/data/schema';
import type { MentionNotice } from '../../../worker/shared/mention-wire';
import { DomainError } from '../../../worker/shared/errors';
import { makeChat, observe } from '../../support/chat-world';
import { db, makeUser } from '../../support/factory';

type Person = Awaited<ReturnType<typeof makeUser>>;
let admin: Person, ana: Person, bruno: Person, olga: Person, oscar: Person, gone: Person;
let chatId: string;
let notices: MentionNotice[];
const deps = () => ({ db: db(), notifyUsers: async (n: MentionNotice[]) => void notices.push(...n) });

/** The DomainError a call rejects with. */
async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

beforeAll(async () => {
  admin = await makeUser('admin', 'Amanda Admin');
  ana = await makeUser('employee', 'Ana Souza');
  bruno = await makeUser('employee', 'Bruno Lima');
  olga = await makeUser('observer', 'Olga Observa');
  oscar = await makeUser('observer', 'Oscar Outro');
  gone = await makeUser('employee', 'Gabriel Saiu');
  await updateUser(db(), gone.id, { active: false });
  ({ chatId } = await makeChat({ responsibleId: ana.id, name: 'Cliente Mentions' }));
  await observe(chatId, [olga.id]);
});

describe('who may be mentioned', () => {
  it('the picker offers active colleagues who may see the chat: staff and its observers, not the author, not other observers, not the deactivated', async () => {
    const offered = (await listMentionable(db(), ana, chatId)).map((u) => u.id);
    expect(offered).toEqual(expect.arrayContaining([admin.id, bruno.id, olga.id]));
    expect(offered).not.toContain(ana.id);
    expect(offered).not.toContain(oscar.id);
    expect(offered).not.toContain(gone.id);
    expect((await listMentionable(db(), ana, chatId, 'BRUNO')).map((u) => u.id)).toEqual([bruno.id]);
    expect((await listMentionable(db(), ana, chatId, 'oscar'))).toEqual([]);
  });

  it('an observer cannot comment, so cannot ask who to mention (403); a chat one cannot see is 404', async () => {
    expect((await refusal(listMentionable(db(), olga, chatId))).status).toBe(403);
    expect((await refusal(listMentionable(db(), oscar, chatId))).status).toBe(404);
  });

  it('the server refuses a mention of someone who may not see the chat, of a deactivated user, of oneself and of an unknown id, and stores nothing', async () => {
    const before = (await db().select().from(comments).where(eq(comments.chatId, chatId)).all()).length;
    notices = [];
    for (const refused of [oscar.id, gone.id, ana.id, 'no-such-user']) {
      const err = await refusal(addComment(deps(), ana, chatId, 'Olhem isto', [bruno.id, refused]));
      expect(err).toMatchObject({ status: 400, code: 'mention_not_allowed', details: { userIds: [refused] } });
    }
    expect((await db().select().from(comments).where(eq(comments.chatId, chatId)).all()).length).toBe(before);
    expect(await db().select().from(mentions).where(eq(mentions.chatId, chatId)).all()).toEqual([]);
    expect(notices).toEqual([]);
  });
});

describe('a comment with mentions', () => {
  it('stores who it mentions, and only the mentioned people are told, each with their badge count', async () => {
    notices = [];
    const { comment } = await addComment(deps(), ana, chatId, '@Bruno Lima @Olga Observa podem ver?', [bruno.id, olga.id]);
    expect(comment.mentions).toEqual([bruno.id, olga.id]);
    expect((await listComments(db(), admin, chatId)).find((c) => c.id === comment.id)?.mentions).toEqual([bruno.id, olga.id]);
    expect(notices.map((n) => n.userId).sort()).toEqual([bruno.id, olga.id].sort());
    for (const n of notices) {
      expect(n.unread).toBe(1);
      expect(n.mention).toMatchObject({ chatId, commentId: comment.id, authorId: ana.id, authorName: 'Ana Souza', contactName: 'Cliente Mentions', readAt: null });
    }
    // A comment without mentions tells nobody.
    notices = [];
    expect((await addComment(deps(), ana, chatId, 'Sem ninguém')).comment.mentions).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('the badge counts unread mentions across chats; reading one chat clears only its mentions and tells the reader only', async () => {
    const other = await makeChat({ name: 'Outro Cliente' });
    const fresh = await makeUser('employee', 'Fernanda Nova');
    await addComment(deps(), ana, chatId, 'um', [fresh.id]);
    await addComment(deps(), bruno, chatId, 'dois', [fresh.id]);
    await addComment(deps(), ana, other.chatId, 'três', [fresh.id]);
    const mine = await listMyMentions(db(), fresh, { limit: 30 });
    expect(mine.unread).toBe(3);
    expect(mine.items.map((m) => m.text)).toEqual(['três', 'dois', 'um']);
    expect(mine.items[0]).toMatchObject({ chatId: other.chatId, contactName: 'Outro Cliente', authorName: 'Ana Souza' });

    // Someone else reading the chat changes nothing of hers.
    notices = [];
    await readTimeline(deps(), bruno, chatId, undefined, 50);
    expect(notices.filter((n) => n.userId === fresh.id)).toEqual([]);
    // A not-newest timeline page is not "reading the chat".
    await readTimeline(deps(), fresh, chatId, 'MTAwLmE', 50);
    expect((await listMyMentions(db(), fresh, { limit: 30 })).unread).toBe(3);

    notices = [];
    await readTimeline(deps(), fresh, chatId, undefined, 50);
    expect(notices).toEqual([{ userId: fresh.id, unread: 1, mention: null }]);
    const after = await listMyMentions(db(), fresh, { limit: 30, unread: true });
    expect(after).toMatchObject({ unread: 1, items: [{ text: 'três' }] });
    // Reading again clears nothing and tells nobody.
    notices = [];
    await readTimeline(deps(), fresh, chatId, undefined, 50);
    expect(notices).toEqual([]);

    await markRead(deps(), fresh, other.chatId);
    expect(notices).toEqual([{ userId: fresh.id, unread: 0, mention: null }]);
    const all = await listMyMentions(db(), fresh, { limit: 30 });
    expect(all.unread).toBe(0);
    expect(all.items.every((m) => m.readAt !== null)).toBe(true);
  });

  it('pages newest first with a cursor, and marks read by ids, by chat or all', async () => {
    const reader = await makeUser('employee', 'Rita Leitora');
    for (const text of ['a', 'b', 'c', 'd', 'e']) await addComment(deps(), ana, chatId, text, [reader.id]);
    const first = await listMyMentions(db(), reader, { limit: 2 });
    expect(first.items.map((m) => m.text)).toEqual(['e', 'd']);
    const second = await listMyMentions(db(), reader, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((m) => m.text)).toEqual(['c', 'b']);
    const last = await listMyMentions(db(), reader, { limit: 2, cursor: second.nextCursor! });
    expect(last).toMatchObject({ items: [{ text: 'a' }], nextCursor: null });

    notices = [];
    expect(await readMyMentions(deps(), reader, { ids: [first.items[0].id] })).toEqual({ unread: 4 });
    expect(notices).toEqual([{ userId: reader.id, unread: 4, mention: null }]);
    // Someone else's mention ids are not mine to mark.
    await readMyMentions(deps(), bruno, { ids: [first.items[1].id] });
    expect((await listMyMentions(db(), reader, { limit: 10 })).unread).toBe(4);
    expect(await readMyMentions(deps(), reader, { chatId: 'another-chat' })).toEqual({ unread: 4 });
    expect(await readMyMentions(deps(), reader, {})).toEqual({ unread: 0 });
  });

  it('an observer taken off the chat no longer sees (or counts) its mentions', async () => {
    const { chatId: watched } = await makeChat({ name: 'Cliente Observado' });
    const viewer = await makeUser('observer', 'Vera Vigia');
    await observe(watched, [viewer.id]);
    await addComment(deps(), ana, watched, 'olha', [viewer.id]);
    expect((await listMyMentions(db(), viewer, { limit: 10 })).unread).toBe(1);
    await setObservers({ db: db() }, admin, watched, []);
    expect(await listMyMentions(db(), viewer, { limit: 10 })).toEqual({ items: [], unread: 0, nextCursor: null });
  });
});

describe('query plans', () => {
  it('the badge, the list and the clearing on read walk the mentions indexes, never the whole table', async () => {
    const log: Recorded[] = [];
    const recorded = database(recordingD1(env.DB, log));
    await listMyMentions(recorded, bruno, { limit: 30, unread: true });
    await readTimeline({ db: recorded }, bruno, chatId, undefined, 50);
    const touching = log.filter((r) => /"mentions"/.test(r.sql));
    expect(touching.length).toBeGreaterThanOrEqual(3);
    for (const r of touching) {
      const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>()).results.map((x) => x.detail).join('\n');
      expect(plan, r.sql).not.toMatch(/^SCAN mentions\b/m);
      expect(plan, r.sql).toMatch(/mentions USING (COVERING )?INDEX mentions_user_/);
    }
  });
});
