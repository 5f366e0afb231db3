/**
 * Runs every inbox read (groups, counts, archive with each filter, details, timeline, history search)
 * through a D1 that records its SQL, then asks SQLite for each statement's plan: none may scan chats or
 * messages in full, and the staff group lists must come out of an index already in order.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { SessionUser } from '../../../worker/domain/access';
import { getChat, listArchive, listInbox, readTimeline, searchHistory } from '../../../worker/domain/chats';
import { database } from '../../../worker/data/db';
import { chats } from '../../../worker/data/schema';
import type { ArchiveFilters } from '../../../worker/data/archive';
import { chatGroups } from '../../../worker/shared/chats';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';
import { setObservers } from '../../../worker/domain/chats';
import { setTags } from '../../../worker/domain/chats';
import { recordingD1, type Recorded } from '../../support/recording-d1';
import { COMMON_SHARE } from '../../../worker/data/tag-spread';

async function planOf(r: Recorded): Promise<string[]> {
  const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>();
  return res.results.map((x) => x.detail);
}

const SHOW_PLANS = false;

/**
 * A list finds its page's ids by walking an index already in order (no sort in there); the one sort
 * allowed is the outer ORDER BY over those at most limit + 1 rows, the plan's last step.
 */
function expectSortsOnlyThePage(plan: string[]) {
  const sorts = plan.map((line, i) => (/TEMP B-TREE/.test(line) ? i : -1)).filter((i) => i >= 0);
  expect(plan.join('\n')).toMatch(/LIST SUBQUERY/);
  expect(sorts.length <= 1 && sorts.every((i) => i === plan.length - 1), plan.join('\n')).toBe(true);
}
const fullScan = /^SCAN (chats|messages)\b/;

describe('query plans of the inbox reads', () => {
  let admin: SessionUser;
  let observer: SessionUser;
  let chatId: string;
  let integrationId: string;

  beforeAll(async () => {
    admin = await makeUser('admin');
    observer = await makeUser('observer');
    const integration = await makeIntegration();
    integrationId = integration.id;
    for (let i = 0; i < 5; i++) await ingest(integration, clientText(uniq(), `Quero um sofá ${i}`, { name: `João ${i}` }));
    chatId = (await db().select({ id: chats.id }).from(chats).limit(1).get())!.id;
    await setObservers({ db: db() }, admin, chatId, [observer.id]);
    await setTags({ db: db() }, admin, chatId, ['VIP']);
  });

  async function record(run: (d: ReturnType<typeof database>) => Promise<unknown>): Promise<Recorded[]> {
    const log: Recorded[] = [];
    await run(database(recordingD1(env.DB, log)));
    expect(log.length).toBeGreaterThan(0);
    return log;
  }

  async function expectNoFullScans(log: Recorded[]) {
    for (const r of log) {
      if (!/^\s*select/i.test(r.sql)) continue;
      const plan = await planOf(r);
      if (SHOW_PLANS) console.log(r.sql.slice(0, 200) + '\n   ' + plan.join('\n   '));
      expect(plan.filter((line) => fullScan.test(line)), `${r.sql}\n${plan.join('\n')}`).toEqual([]);
    }
  }

  for (const group of chatGroups) {
    it(`group "${group}" (staff): index range in order, index-only counts`, async () => {
      const log = await record((d) => listInbox(d, admin, group, undefined, 20));
      await expectNoFullScans(log);
      const list = log.find((r) => /order by/i.test(r.sql))!;
      const plan = await planOf(list);
      expect(plan.join('\n')).toMatch(/SEARCH chats USING (COVERING )?INDEX chats_(group|status_activity)/);
      expectSortsOnlyThePage(plan);
    });

    it(`group "${group}" (observer): through the observer index`, async () => {
      const log = await record((d) => listInbox(d, observer, group, undefined, 20));
      await expectNoFullScans(log);
      expect((await Promise.all(log.map(planOf))).flat().join('\n')).toMatch(/chat_observers_user/);
    });
  }

  const filters: [string, () => ArchiveFilters][] = [
    ['none', () => ({})],
    ['status', () => ({ status: 'closed' })],
    ['responsibleId', () => ({ responsibleId: admin.id })],
    ['responsibleId=none', () => ({ responsibleId: 'none' })],
    ['integrationId', () => ({ integrationId })],
    ['channel', () => ({ channel: 'telegram' })],
    ['tag', () => ({ tag: 'vip' })],
    ['from/to', () => ({ from: 0, to: Date.now() + 1000 })],
    ['startedFrom/startedTo', () => ({ startedFrom: 0, startedTo: Date.now() + 1000 })],
    ['q', () => ({ q: 'sofa' })],
    ['all combined', () => ({ status: 'open', responsibleId: 'none', integrationId, channel: 'telegram', tag: 'VIP', from: 0, to: Date.now() + 1000, startedFrom: 0, q: 'joao' })],
  ];
  for (const [name, f] of filters) {
    it(`archive filter ${name}: no full scan`, async () => {
      await expectNoFullScans(await record((d) => listArchive(d, admin, f(), undefined, 20)));
      await expectNoFullScans(await record((d) => listArchive(d, observer, f(), undefined, 20)));
    });
  }

  it('archive without filters walks chats_activity in order', async () => {
    const log = await record((d) => listArchive(d, admin, {}, undefined, 20));
    const plan = await planOf(log.find((r) => /order by/i.test(r.sql))!);
    expect(plan.join('\n')).toMatch(/SEARCH chats USING (COVERING )?INDEX chats_activity/);
    expectSortsOnlyThePage(plan);
  });

  it('details, timeline and history search: index lookups only', async () => {
    const log = [
      ...(await record((d) => getChat(d, admin, chatId))),
      ...(await record((d) => readTimeline({ db: d }, admin, chatId, undefined, 50))),
      ...(await record((d) => searchHistory(d, admin, chatId, 'sofa', undefined, 20))),
    ];
    await expectNoFullScans(log);
    const plans = (await Promise.all(log.map(planOf))).flat().join('\n');
    // The timeline indexes end at created_at (migration 0038): a range of the chat, newest first, with
    // only a millisecond's ties sorted by id — never the whole chat sorted.
    expect(plans).toMatch(/SEARCH messages USING INDEX messages_timeline \(chat_id=\? AND created_at<\?\)\nUSE TEMP B-TREE FOR LAST TERM OF ORDER BY/);
    // chat_events is keyed (chat_id, created_at, id) (migration 0042): the page is one seek of its key, ties and all.
    expect(plans).toMatch(/SEARCH chat_events USING PRIMARY KEY \(chat_id=\? AND \(created_at,id\)<\(\?,\?\)\)\n/);
    expect(plans).not.toMatch(/SEARCH chat_events[^\n]*\nUSE TEMP B-TREE/);
    expect(plans).toMatch(/SCAN messages_fts VIRTUAL TABLE/);
  });

  it('the recorder sees real statements (guards against a vacuous pass)', async () => {
    const log = await record((d) => d.select().from(chats).where(eq(chats.lastMessagePreview, 'x')).all());
    expect((await planOf(log[0])).some((l) => fullScan.test(l))).toBe(true);
  });
});

describe('the archive tag filter: its plan follows how common the tag is, its answer does not', () => {
  let admin: SessionUser;
  const everywhere = `Todos${uniq()}`;
  const once = `Um${uniq()}`;
  const ids: string[] = [];

  beforeAll(async () => {
    admin = await makeUser('admin');
    const integration = await makeIntegration();
    // More chats than COMMON_SHARE, so one tagged chat is a rare tag.
    for (let i = 0; i <= COMMON_SHARE; i++) {
      const client = uniq();
      await ingest(integration, clientText(client, `Olá ${i}`));
      ids.push((await db().select({ id: chats.id }).from(chats).where(eq(chats.externalChatId, client)).get())!.id);
    }
    for (const id of ids) await setTags({ db: db() }, admin, id, id === ids[7] ? [everywhere, once] : [everywhere]);
  });

  async function pageAndPlan(tag: string, more: ArchiveFilters = {}) {
    const log: Recorded[] = [];
    const page = await listArchive(database(recordingD1(env.DB, log)), admin, { tag, ...more }, undefined, 50);
    const list = log.find((r) => /order by/i.test(r.sql))!;
    return { page, plan: (await planOf(list)).join('\n') };
  }

  it('a tag on most chats: the walk newest first probes chat_tags per chat (no sort of every tagged chat)', async () => {
    const { page, plan } = await pageAndPlan(everywhere);
    expect(plan).toMatch(/CORRELATED/);
    expect(plan).not.toMatch(/chat_tags_tag/);
    // Every tagged chat once, page after page, newest first.
    const seen = page.items.map((c) => c.id);
    for (let cursor = page.nextCursor; cursor; ) {
      const next = await listArchive(db(), admin, { tag: everywhere }, cursor, 50);
      seen.push(...next.items.map((c) => c.id));
      cursor = next.nextCursor;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(seen.slice(0, 3)).toEqual([...ids].reverse().slice(0, 3));
  });

  it('a common tag with another filter: the tagged chats through chat_tags_tag (the walk would read every row it passes)', async () => {
    const { page, plan } = await pageAndPlan(everywhere, { status: 'open' });
    expect(plan).toMatch(/chat_tags_tag/);
    expect(page.items).toHaveLength(50);
  });

  it('a tag on one chat of more than a hundred: its chats through chat_tags_tag', async () => {
    const { page, plan } = await pageAndPlan(once);
    expect(plan).toMatch(/chat_tags_tag/);
    expect(page.items.map((c) => c.id)).toEqual([ids[7]]);
  });
});
