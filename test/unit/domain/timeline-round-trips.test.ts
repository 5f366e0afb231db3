/**
 * A timeline page reads the chat's access facts in the same D1 batch as its rows: an older page is one
 * round trip (it was two: the gate, then the page), and so is the newest page of a chat already read.
 * The rows are used only once the gate passed: a user who may not view the chat still gets "not found",
 * and the newest page's writes (read marker, mentions) wait for the gate, in a second round trip made
 * only when there is something to write.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../../worker/data/db';
import type { SessionUser } from '../../../worker/domain/access';
import { addComment, readTimeline } from '../../../worker/domain/chats';
import { countingD1 } from '../../support/counting-d1';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';

describe('timeline pages and the chat gate', () => {
  let admin: SessionUser;
  let observer: SessionUser;
  let chatId: string;

  beforeAll(async () => {
    admin = await makeUser('admin');
    observer = await makeUser('observer');
    const integration = await makeIntegration();
    const client = uniq();
    for (let i = 0; i < 6; i++) await ingest(integration, clientText(client, `mensagem ${i}`));
    chatId = String((await env.DB.prepare('SELECT id FROM chats WHERE integration_id = ?').bind(integration.id).first<{ id: string }>())!.id);
  });

  it('an older page is one D1 round trip', async () => {
    const newest = await readTimeline({ db: db() }, admin, chatId, undefined, 3);
    expect(newest.nextBefore).not.toBeNull();
    const counting = countingD1(env.DB);
    const older = await readTimeline({ db: database(counting.d1) }, admin, chatId, newest.nextBefore!, 3);
    expect(older.items.length).toBeGreaterThan(0);
    expect(older.items.map((i) => i.id)).not.toContain(newest.items[0].id);
    expect(counting.trips()).toBe(1);
  });

  it('the newest page writes only what there is to write: one round trip for a chat already read', async () => {
    const employee = await makeUser('employee');
    const trips = async () => {
      const counting = countingD1(env.DB);
      await readTimeline({ db: database(counting.d1) }, employee, chatId, undefined, 3);
      return counting.trips();
    };
    const marker = async () => (await env.DB.prepare('SELECT last_read_at AS at FROM chat_user_state WHERE chat_id = ? AND user_id = ?').bind(chatId, employee.id).first<{ at: number }>())?.at ?? 0;
    expect(await marker()).toBe(0);
    // An employee may view every chat: the marker moves in the same batch as the reads.
    expect(await trips()).toBe(1);
    const lastInbound = (await env.DB.prepare('SELECT last_inbound_at AS at FROM chats WHERE id = ?').bind(chatId).first<{ at: number }>())!.at;
    expect(await marker()).toBe(lastInbound);
    expect(await trips()).toBe(1); // nothing left to mark
    await addComment({ db: db() }, admin, chatId, 'olha isto', [employee.id]);
    const unread = () => env.DB.prepare('SELECT count(*) AS n FROM mentions WHERE user_id = ? AND read_at IS NULL').bind(employee.id).first<{ n: number }>();
    expect((await unread())?.n).toBe(1);
    expect(await trips()).toBe(2); // clears the mention (its notice needs what the first batch found)
    expect((await unread())?.n).toBe(0);
    expect(await trips()).toBe(1);
  });

  it("an observer's newest page moves the marker only after the gate: a second round trip, then none", async () => {
    const watching = await makeUser('observer');
    await env.DB.prepare('INSERT INTO chat_observers (chat_id, user_id) VALUES (?, ?)').bind(chatId, watching.id).run();
    const trips = async () => {
      const counting = countingD1(env.DB);
      await readTimeline({ db: database(counting.d1) }, watching, chatId, undefined, 3);
      return counting.trips();
    };
    expect(await trips()).toBe(2);
    expect(await trips()).toBe(1);
  });

  it('a user who may not view the chat gets "not found" for any page, and nothing is written', async () => {
    const newest = await readTimeline({ db: db() }, admin, chatId, undefined, 3);
    const before = await env.DB.prepare('SELECT count(*) AS n FROM chat_user_state WHERE user_id = ?').bind(observer.id).first<{ n: number }>();
    await expect(readTimeline({ db: db() }, observer, chatId, undefined, 3)).rejects.toMatchObject({ status: 404 });
    await expect(readTimeline({ db: db() }, observer, chatId, newest.nextBefore!, 3)).rejects.toMatchObject({ status: 404 });
    await expect(readTimeline({ db: db() }, admin, 'no-such-chat', undefined, 3)).rejects.toMatchObject({ status: 404 });
    const after = await env.DB.prepare('SELECT count(*) AS n FROM chat_user_state WHERE user_id = ?').bind(observer.id).first<{ n: number }>();
    expect(after).toEqual(before);
  });
});
