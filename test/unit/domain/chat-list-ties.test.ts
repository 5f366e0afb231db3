/**
 * Chats whose activity falls in one millisecond: paging a group, the archive and an archive filter
 * returns each exactly once, ordered by id within the millisecond (the keyset's tie-break).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../worker/domain/access';
import { listArchive, listInbox } from '../../../worker/domain/chats';
import { makeChat } from '../../support/chat-world';
import { db, makeIntegration, makeUser } from '../../support/factory';
import type { IngestIntegration } from '../../../worker/domain/ingest';

const SAME = Date.UTC(2026, 10, 3, 9, 30);
const TIED = 9;

type Page = { items: { id: string }[]; nextCursor: string | null };

async function everyPage(read: (cursor: string | undefined) => Promise<Page>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe('chat lists page through chats of the same millisecond', () => {
  let admin: SessionUser;
  let integration: IngestIntegration;
  let tied: string[] = [];
  let around: string[] = [];

  beforeAll(async () => {
    admin = await makeUser('admin');
    integration = await makeIntegration();
    // One chat a second before and one after the tied ones, so the ties sit inside the walk, not at its ends.
    around.push((await makeChat({ integration, at: SAME - 1000 })).chatId);
    for (let i = 0; i < TIED; i++) tied.push((await makeChat({ integration, at: SAME })).chatId);
    around.push((await makeChat({ integration, at: SAME + 1000 })).chatId);
    const times = await db().query.chats.findMany({ columns: { lastMessageAt: true }, where: (c, { inArray }) => inArray(c.id, tied) });
    expect(new Set(times.map((t) => t.lastMessageAt))).toEqual(new Set([SAME]));
  });

  const expected = () => [around[1], ...[...tied].sort().reverse(), around[0]];

  it('the unassigned group, three at a time', async () => {
    const ids = await everyPage((cursor) => listInbox(db(), admin, 'unassigned', cursor, 3));
    expect(ids.filter((id) => [...tied, ...around].includes(id))).toEqual(expected());
  });

  it('the archive by integration, two at a time', async () => {
    const ids = await everyPage((cursor) => listArchive(db(), admin, { integrationId: integration.id }, cursor, 2));
    expect(ids).toEqual(expected());
  });

  it('the archive without filters, four at a time', async () => {
    const ids = await everyPage((cursor) => listArchive(db(), admin, {}, cursor, 4));
    expect(ids.filter((id) => [...tied, ...around].includes(id))).toEqual(expected());
  });
});
