/**
 * What a connect costs the others, through the Worker and the real objects: in a chat room a newcomer
 * gets the whole presence list and the others one small `presence_diff` (none at all for a second tab of
 * someone already there); on the inbox feed a newcomer's counts do not go out again to every socket.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chats } from '../../worker/data/schema';
import { db } from '../support/factory';
import { clientWrites, open, person, telegramBot, type AnyFrame, type LiveClient } from './live-support';

const isPresence = (f: AnyFrame) => f.type === 'presence' || f.type === 'presence_diff';
/** Presence frames a socket got since `mark` frames, and how many user entries they carried. */
const presenceSince = (c: LiveClient, mark: number) => c.frames.slice(mark).filter(isPresence);
const mentions = (id: string) => (f: AnyFrame) => isPresence(f) && JSON.stringify(f).includes(id);
const entries = (fs: AnyFrame[]) => fs.reduce((n, f) => n + (f.type === 'presence' ? f.users.length : f.joined.length + f.left.length), 0);

describe('chat room presence', () => {
  const N = 8;
  let chatPath: string;
  let people: Awaited<ReturnType<typeof person>>[];
  beforeAll(async () => {
    const bot = await telegramBot();
    await clientWrites(bot, 9201, 'Olá');
    const chat = await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, bot.id), eq(chats.externalChatId, '9201'))).get();
    chatPath = `/api/chats/${chat!.id}/live`;
    people = [];
    for (let i = 0; i <= N + 1; i++) people.push(await person('employee', `Viewer${String(i).padStart(2, '0')}`));
  });

  it('a join sends the newcomer the list and each of the N others one diff: O(N) frames and entries, not O(N²)', async () => {
    const here: LiveClient[] = [];
    for (const p of people.slice(0, N)) {
      const c = await open(chatPath, p.cookie);
      await c.take((f) => f.type === 'presence');
      here.push(c);
    }
    // Everyone has heard about the last of them: a sync point for counting what comes next.
    for (const c of here.slice(0, -1)) await c.take(mentions(people[N - 1].id));
    const marks = here.map((c) => c.frames.length);

    const newcomer = people[N];
    const first = await open(chatPath, newcomer.cookie);
    const list = await first.take((f) => f.type === 'presence');
    expect(list.users.map((u: { name: string }) => u.name)).toEqual(people.slice(0, N + 1).map((p) => p.name));
    for (const c of here) await c.take(mentions(newcomer.id));
    const sent = here.map((c, i) => presenceSince(c, marks[i])).flat();
    expect(sent).toHaveLength(N);
    expect(entries(sent) + list.users.length).toBeLessThanOrEqual(2 * N + 1);
    for (const f of sent) expect(f).toMatchObject({ type: 'presence_diff', ephemeral: true, joined: [{ id: newcomer.id, name: newcomer.name }], left: [] });

    // A second tab of someone already here: its own list, and nothing to anyone else.
    const second = await open(chatPath, newcomer.cookie);
    expect((await second.take((f) => f.type === 'presence')).users).toHaveLength(N + 1);
    const late = people[N + 1];
    const lateTab = await open(chatPath, late.cookie);
    for (const c of [...here, first, second]) await c.take((f) => f.type === 'presence_diff' && f.joined[0]?.id === late.id);
    for (const [i, c] of here.entries()) expect(presenceSince(c, marks[i]).map((f) => f.joined[0]?.id)).toEqual([newcomer.id, late.id]);
    expect(first.frames.filter(isPresence).map((f) => f.type)).toEqual(['presence', 'presence_diff']);

    // Closing one of two tabs is no news; closing the last is one diff to each of the others.
    second.close();
    await second.closedWith();
    first.close();
    for (const c of [...here, lateTab]) expect(await c.take((f) => f.type === 'presence_diff')).toMatchObject({ joined: [], left: [newcomer.id] });
    for (const c of [...here, lateTab]) expect(c.frames.filter((f) => f.type === 'presence_diff' && f.left.length > 0)).toHaveLength(1);
    [...here, lateTab].forEach((c) => c.close());
  });
});

describe('inbox feed counts on connect', () => {
  it("an observer's first socket (which needs fresh counts) gets its counts without resending counts to the N others", async () => {
    const bot = await telegramBot();
    const staff: LiveClient[] = [];
    for (let i = 0; i < 6; i++) {
      const tab = await open('/api/live', (await person('employee')).cookie);
      await tab.take((f) => f.type === 'counts');
      staff.push(tab);
    }
    const observer = await person('observer');
    const feed = await open('/api/live', observer.cookie);
    expect(await feed.take((f) => f.type === 'counts')).toMatchObject({ counts: expect.any(Object) });
    // A new chat reaches everyone after anything the observer's connect set off (frames keep their order).
    await clientWrites(bot, 9202, 'sentinela');
    for (const tab of staff) {
      await tab.take((f) => f.type === 'chat' && f.changes.includes('created'));
      const before = tab.frames.slice(0, tab.frames.findIndex((f) => f.type === 'chat' && f.changes.includes('created')));
      expect(before.filter((f) => f.type === 'counts')).toHaveLength(1);
      // The new chat moves the unassigned count: that refresh still reaches them.
      expect((await tab.take((f) => f.type === 'counts')).counts).toBeDefined();
    }
    [...staff, feed].forEach((c) => c.close());
  });
});
