/**
 * The live objects' limits, through the Worker and the real InboxFeed / ChatRoom: sockets per session and
 * per user (4429), the size of a client frame (1009) and their rate (dropped, then 4429).
 */
import { and, eq } from 'drizzle-orm';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { chats } from '../../worker/data/schema';
import { LIVE_LIMITS } from '../../worker/objects/live-sockets';
import { db } from '../support/factory';
import { BASE, loginAs } from '../support/http';
import { clientWrites, LiveClient, open, person, telegramBot } from './live-support';

/** An upgrade that may be accepted and then closed at once: no waiting for `ready`. */
async function upgrade(path: string, cookie: string): Promise<LiveClient> {
  const res = await exports.default.fetch(new Request(BASE + path, { headers: { upgrade: 'websocket', cookie } }));
  if (!res.webSocket) throw new Error(`upgrade refused: ${res.status}`);
  res.webSocket.accept();
  return new LiveClient(res.webSocket);
}

async function openMany(path: string, cookie: string, n: number): Promise<LiveClient[]> {
  const tabs: LiveClient[] = [];
  for (let i = 0; i < n; i++) tabs.push(await open(path, cookie));
  return tabs;
}

const closeAll = async (tabs: LiveClient[]) => {
  tabs.forEach((t) => t.close());
  await Promise.all(tabs.map((t) => t.closedWith()));
};

describe('live sockets per session and per user', () => {
  let chatPath: string;
  beforeAll(async () => {
    const bot = await telegramBot();
    await clientWrites(bot, 9101, 'Olá');
    const chat = await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, bot.id), eq(chats.externalChatId, '9101'))).get();
    chatPath = `/api/chats/${chat!.id}/live`;
  });

  it('closes the 11th socket of one session with 4429 and lets one in again once a tab closes', async () => {
    expect(LIVE_LIMITS.socketsPerSession).toBe(10);
    const user = await person('employee');
    for (const path of ['/api/live', chatPath]) {
      const tabs = await openMany(path, user.cookie, 10);
      const eleventh = await upgrade(path, user.cookie);
      expect(await eleventh.closedWith()).toEqual({ code: 4429, reason: 'too_many_sockets_session' });
      expect(eleventh.frames).toEqual([]);
      // The ten are untouched, and a closed tab frees its place.
      expect(tabs.every((t) => t.closed === null)).toBe(true);
      await closeAll(tabs.splice(0, 1));
      tabs.push(await open(path, user.cookie));
      await closeAll(tabs);
    }
  });

  it('closes the 31st socket of one user (over several sessions) with 4429; another user is not affected', async () => {
    const user = await person('employee');
    const sessions = [user.cookie, await loginAs(user.email, user.password), await loginAs(user.email, user.password)];
    const tabs = (await Promise.all(sessions.map((cookie) => openMany('/api/live', cookie, 10)))).flat();
    const fourth = await loginAs(user.email, user.password);
    const extra = await upgrade('/api/live', fourth);
    expect(await extra.closedWith()).toEqual({ code: 4429, reason: 'too_many_sockets_user' });
    const other = await person('employee');
    const theirs = await open('/api/live', other.cookie);
    expect(theirs.closed).toBeNull();
    await closeAll([...tabs, theirs]);
  });
});

describe('live client frames', () => {
  let chatPath: string;
  let user: Awaited<ReturnType<typeof person>>;
  beforeAll(async () => {
    const bot = await telegramBot();
    await clientWrites(bot, 9102, 'Olá');
    const chat = await db().select({ id: chats.id }).from(chats).where(and(eq(chats.integrationId, bot.id), eq(chats.externalChatId, '9102'))).get();
    chatPath = `/api/chats/${chat!.id}/live`;
    user = await person('employee');
  });

  it('closes a socket that sends a frame over 4 KiB with 1009; one just under is answered as usual', async () => {
    const room = await open(chatPath, user.cookie);
    room.send(JSON.stringify({ type: 'nope', pad: 'x'.repeat(LIVE_LIMITS.frameBytes - 40) }));
    expect(await room.take((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    // Multi-byte text: under 4096 UTF-16 units, over 4096 bytes.
    room.send(JSON.stringify({ type: 'typing', pad: 'é'.repeat(2100) }));
    expect(await room.closedWith()).toEqual({ code: 1009, reason: 'frame_too_big' });
    expect(room.frames.filter((f) => f.type === 'error')).toHaveLength(1);

    const feed = await open('/api/live', user.cookie);
    feed.send('x'.repeat(100_000));
    expect((await feed.closedWith()).code).toBe(1009);
  });

  it('answers 20 frames per 10 s per socket, drops the rest, and closes a sustained flood with 4429', async () => {
    const room = await open(chatPath, user.cookie);
    const bystander = await open(chatPath, user.cookie);
    for (let i = 0; i < 2 * LIVE_LIMITS.framesPerWindow; i++) room.send('not json');
    // Frames are handled in order: once the next one closed the socket, all before it were handled.
    room.send('not json');
    expect(await room.closedWith()).toEqual({ code: 4429, reason: 'too_many_frames' });
    expect(room.frames.filter((f) => f.type === 'error')).toHaveLength(LIVE_LIMITS.framesPerWindow);
    // The count is per socket: another tab of the same user still gets its answer.
    bystander.send('not json');
    expect(await bystander.take((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    bystander.close();

    const feed = await open('/api/live', user.cookie);
    for (let i = 0; i <= 2 * LIVE_LIMITS.framesPerWindow; i++) feed.send('{}');
    expect(await feed.closedWith()).toEqual({ code: 4429, reason: 'too_many_frames' });
  });
});
