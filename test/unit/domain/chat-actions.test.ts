import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { SessionUser } from '../../../worker/domain/access';
import { closeChat, reopenChat, setResponsible, type ActionResult } from '../../../worker/domain/chats';
import type { Deps } from '../../../worker/domain/runtime';
import { addComment, linkChat, unlinkChat } from '../../../worker/domain/chats';
import { setMuted, setObservers } from '../../../worker/domain/chats';
import { setTags } from '../../../worker/domain/chats';
import { createTask } from '../../../worker/domain/crm';
import type { LiveChange } from '../../../worker/domain/live';
import { chatEvents, chatLinks, chats, tags } from '../../../worker/data/schema';
import { clientWrites, makeChat } from '../../support/chat-world';
import { db, ingestDeps, makeUser } from '../../support/factory';

function recordingDeps(t = Date.UTC(2025, 5, 1)): Deps & { published: LiveChange[] } {
  const published: LiveChange[] = [];
  return { db: db(), now: () => t, publish: async (c) => void published.push(...c), published };
}

async function eventRow(id: string) {
  return db().select().from(chatEvents).where(eq(chatEvents.id, id)).get();
}
const chatRow = async (id: string) => (await db().select().from(chats).where(eq(chats.id, id)).get())!;

describe('chat actions (domain)', () => {
  it('every action stores its event with the actor and publishes it', async () => {
    const actor = await makeUser('employee');
    const other = await makeUser('employee');
    const task = await createTask({ db: db() }, actor, { title: 'Ligar' });
    const { chatId } = await makeChat({ responsibleId: other.id });
    const steps: [string, (d: Deps) => Promise<ActionResult>][] = [
      ['assigned', (d) => setResponsible(d, actor, chatId, actor.id)],
      ['unassigned', (d) => setResponsible(d, actor, chatId, null)],
      ['observers_changed', (d) => setObservers(d, actor, chatId, [other.id])],
      ['tags_changed', (d) => setTags(d, actor, chatId, ['Novo'])],
      ['commented', (d) => addComment(d, actor, chatId, 'nota')],
      ['linked', (d) => linkChat(d, actor, chatId, { kind: 'task', linkedId: task.id })],
      ['unlinked', (d) => unlinkChat(d, actor, chatId, { kind: 'task', linkedId: task.id })],
      ['closed', (d) => closeChat(d, actor, chatId)],
      ['reopened', (d) => reopenChat(d, actor, chatId)],
    ];
    for (const [type, run] of steps) {
      const deps = recordingDeps();
      const result = await run(deps);
      expect(result.eventId, type).toBeTruthy();
      expect(await eventRow(result.eventId!), type).toMatchObject({ chatId, type, actorId: actor.id });
      expect(deps.published, type).toEqual(result.changes);
      expect(deps.published, type).toContainEqual({ kind: 'event', chatId, eventId: result.eventId });
    }
  });

  it('a PUT that changes nothing records and publishes nothing', async () => {
    const actor = await makeUser('employee');
    const { chatId } = await makeChat({ responsibleId: actor.id });
    const deps = recordingDeps();
    await setTags(deps, actor, chatId, ['A']);
    await setObservers(deps, actor, chatId, [actor.id]);
    const before = (await db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).all()).length;
    deps.published.length = 0;
    for (const r of [
      await setResponsible(deps, actor, chatId, actor.id), await setTags(deps, actor, chatId, [' a ']),
      await setObservers(deps, actor, chatId, [actor.id]), await setMuted(deps, actor, chatId, false),
    ]) expect(r).toMatchObject({ eventId: null, changes: [] });
    expect(deps.published).toEqual([]);
    expect((await db().select().from(chatEvents).where(eq(chatEvents.chatId, chatId)).all()).length).toBe(before);
  });

  it('concurrent closes: one wins, the rest are 409 and leave no second event', async () => {
    const actor = await makeUser('admin');
    const { chatId } = await makeChat();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => closeChat({ db: db() }, actor, chatId)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: 'already_closed' });
    expect(await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chatId), eq(chatEvents.type, 'closed'))).all()).toHaveLength(1);

    const reopens = await Promise.allSettled(Array.from({ length: 6 }, () => reopenChat({ db: db() }, actor, chatId)));
    expect(reopens.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chatId), eq(chatEvents.type, 'reopened'))).all()).toHaveLength(1);
  });

  it('concurrent links of one task: one link, one event, the rest 409', async () => {
    const actor = await makeUser('employee');
    const task = await createTask({ db: db() }, actor, { title: 'x' });
    const { chatId } = await makeChat();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => linkChat({ db: db() }, actor, chatId, { kind: 'task', linkedId: task.id })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db().select().from(chatLinks).where(eq(chatLinks.chatId, chatId)).all()).toHaveLength(1);
    expect(await db().select().from(chatEvents).where(and(eq(chatEvents.chatId, chatId), eq(chatEvents.type, 'linked'))).all()).toHaveLength(1);
  });

  it('a tag typed on two chats at once is one tag', async () => {
    const actor = await makeUser('employee');
    const [a, b] = [await makeChat(), await makeChat()];
    await Promise.all([setTags({ db: db() }, actor, a.chatId, ['Urgente']), setTags({ db: db() }, actor, b.chatId, ['URGENTE'])]);
    expect(await db().select().from(tags).where(eq(tags.key, 'urgente')).all()).toHaveLength(1);
  });

  it('responsible bookkeeping the ingest reopen relies on', async () => {
    const [actor, ana, bruno] = [await makeUser('admin'), await makeUser('employee'), await makeUser('employee')];
    // Close keeps the responsible and remembers them.
    const one = await makeChat({ responsibleId: ana.id });
    await closeChat({ db: db() }, actor, one.chatId);
    expect(await chatRow(one.chatId)).toMatchObject({ status: 'closed', responsibleId: ana.id, lastResponsibleId: ana.id });
    // Reassigning a closed chat decides who gets it back.
    await setResponsible({ db: db() }, actor, one.chatId, bruno.id);
    await clientWrites(one, 'oi de novo');
    expect(await chatRow(one.chatId)).toMatchObject({ status: 'open', responsibleId: bruno.id });

    // Unassigning an open chat remembers who had it.
    const two = await makeChat({ responsibleId: ana.id });
    await setResponsible({ db: db() }, actor, two.chatId, null);
    expect(await chatRow(two.chatId)).toMatchObject({ responsibleId: null, lastResponsibleId: ana.id });
    // Closed while unassigned: nobody to go back to, so a returning client goes to the queue.
    await closeChat({ db: db() }, actor, two.chatId);
    expect(await chatRow(two.chatId)).toMatchObject({ responsibleId: null, lastResponsibleId: null });
    const { ingestUpdate } = await import('../../../worker/domain/ingest');
    const { clientText } = await import('../../support/factory');
    await ingestUpdate(ingestDeps(async () => bruno.id), two.integration, clientText(two.client, 'voltei'));
    expect(await chatRow(two.chatId)).toMatchObject({ status: 'open', responsibleId: bruno.id });
  });

  it('observers and deactivated users', async () => {
    const actor = await makeUser('admin');
    const gone = await makeUser('employee');
    const { updateUser } = await import('../../../worker/domain/accounts');
    await updateUser(db(), gone.id, { active: false });
    const { chatId } = await makeChat();
    await expect(setObservers({ db: db() }, actor, chatId, [gone.id])).rejects.toMatchObject({ status: 400, code: 'invalid_observer' });
    await expect(setResponsible({ db: db() }, actor, chatId, gone.id)).rejects.toMatchObject({ status: 400, code: 'invalid_responsible' });
  });

  it('an observer is refused every change with 403 and sees unobserved chats as missing', async () => {
    const [admin, olga] = [await makeUser('admin'), await makeUser('observer')] as SessionUser[];
    const { chatId } = await makeChat();
    await expect(closeChat({ db: db() }, olga, chatId)).rejects.toMatchObject({ status: 404 });
    await setObservers({ db: db() }, admin, chatId, [olga.id]);
    for (const run of [
      () => closeChat({ db: db() }, olga, chatId), () => setResponsible({ db: db() }, olga, chatId, null), () => setTags({ db: db() }, olga, chatId, ['x']),
      () => setObservers({ db: db() }, olga, chatId, []), () => addComment({ db: db() }, olga, chatId, 'x'),
    ]) await expect(run()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    // Their own mute flag is theirs to set; it records nothing in the chat.
    await expect(setMuted({ db: db() }, olga, chatId, true)).resolves.toMatchObject({ eventId: null, changes: [{ kind: 'chat_updated', chatId, reason: 'other' }] });
  });
});
