/**
 * chat_counts is kept by triggers on chats and chat_observers (migration 0006). Whatever happens — new
 * chats from webhooks, assignment, unassignment, close, reopen by hand or by the client, observers added
 * and removed, deletion — it must equal counting the chats themselves, for staff and for each observer,
 * because the inbox shows its numbers as the truth.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { closeChat, reopenChat, setResponsible } from '../../../worker/domain/chats';
import { clientWrites, makeChat, observe, setupAdmin } from '../../support/chat-world';
import { db, makeIntegration, makeUser } from '../../support/factory';

/** chat_counts next to the same numbers counted from chats and chat_observers directly. */
async function counted() {
  const direct = await env.DB.prepare(`SELECT '' AS viewer, status, coalesce(responsible_id, '') AS k, count(*) AS n FROM chats GROUP BY 2, 3
    UNION ALL SELECT o.user_id, c.status, coalesce(c.responsible_id, ''), count(*) FROM chat_observers o JOIN chats c ON c.id = o.chat_id GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3`).all();
  const kept = await env.DB.prepare(`SELECT viewer, status, responsible_key AS k, n FROM chat_counts WHERE n <> 0 ORDER BY 1, 2, 3`).all();
  return { direct: direct.results, kept: kept.results };
}

describe('chat_counts', () => {
  it('equals counting the chats after every kind of change', async () => {
    const admin = await setupAdmin();
    const ana = await makeUser('employee');
    const bruno = await makeUser('employee');
    const integration = await makeIntegration();
    const deps = { db: db() };
    const olga = await makeUser('observer');
    const otto = await makeUser('observer');
    const a = await makeChat({ integration, responsibleId: ana.id });
    const b = await makeChat({ integration, responsibleId: null });
    const c = await makeChat({ integration, responsibleId: bruno.id });
    await observe(a.chatId, [olga.id, otto.id]);
    await observe(b.chatId, [olga.id]);
    await observe(c.chatId, [otto.id]);
    let check = await counted();
    expect(check.kept.some((r) => r.viewer === olga.id)).toBe(true);
    expect(check.kept).toEqual(check.direct);
    expect(check.direct.length).toBeGreaterThan(0);

    await setResponsible(deps, admin, b.chatId, bruno.id);
    await setResponsible(deps, admin, a.chatId, null);
    await closeChat(deps, admin, c.chatId);
    await closeChat(deps, admin, c.chatId).catch(() => {}); // a second close changes nothing
    check = await counted();
    expect(check.kept).toEqual(check.direct);

    await observe(c.chatId, [olga.id]); // otto stops observing it, olga starts
    await reopenChat(deps, admin, c.chatId);
    await closeChat(deps, admin, a.chatId);
    await clientWrites(a, 'voltei'); // the client reopens it
    check = await counted();
    expect(check.kept).toEqual(check.direct);

    // Rows that point at the chat go first, then the chat itself.
    for (const t of ['messages', 'chat_events', 'chat_observers', 'chat_tags', 'chat_user_state', 'opportunities', 'comments', 'chat_links']) {
      await env.DB.prepare(`DELETE FROM ${t} WHERE chat_id = ?`).bind(b.chatId).run();
    }
    await env.DB.prepare('DELETE FROM chats WHERE id = ?').bind(b.chatId).run();
    expect(await env.DB.prepare('SELECT id FROM chats WHERE id = ?').bind(b.chatId).first()).toBeNull();
    check = await counted();
    expect(check.kept).toEqual(check.direct);
  });
});
