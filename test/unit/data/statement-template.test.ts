/**
 * data/statement-template.ts leans on drizzle's D1 batch contract (an item's `_prepare()`, its
 * `getQuery().params` bound to its `stmt`, its `mapResult`). These tests pin that contract against real
 * D1: a template gives the builder's rows, two bindings of one template in one batch keep their own
 * values, and placeholders land in their own slots even when swapping two would still be valid SQL.
 */
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { insertRow, rawTemplate, statementTemplate } from '../../../worker/data/statement-template';
import { chats, chatUserState, messages, processedUpdates, users } from '../../../worker/data/schema';
import { newId } from '../../../worker/shared/ids';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';

type UserRow = typeof users.$inferSelect;
const p = (name: string) => sql.placeholder(name);

// Built once, as the webhook's are; each test binds its own values.
const byId = statementTemplate<{ id: string }, UserRow>((d) => d.select().from(users).where(eq(users.id, p('id'))));
// Two placeholders of one type whose swap is still valid SQL: `from > to` finds nothing.
const createdBetween = statementTemplate<{ from: number; to: number; role: string }, UserRow>((d) => d.select().from(users)
  .where(and(eq(users.role, p('role')), gte(users.createdAt, p('from')), lt(users.createdAt, p('to'))))
  .orderBy(asc(users.createdAt), asc(users.id)));
// A raw write: swapping name and id would update no row (WHERE id = the new name).
const rename = rawTemplate<{ name: string; id: string }>(() => sql`UPDATE users SET name = ${p('name')} WHERE id = ${p('id')}`);

describe('statement templates', () => {
  let a: UserRow;
  let b: UserRow;
  let c: UserRow;
  beforeAll(async () => {
    for (const [i, role] of (['employee', 'employee', 'admin'] as const).entries()) {
      const u = await makeUser(role);
      // Distinct, known creation times so the range query has rows on both sides of its bounds.
      await db().update(users).set({ createdAt: 1_000_000 + i * 1000, active: i !== 1 }).where(eq(users.id, u.id));
    }
    const rows = await db().select().from(users).where(and(gte(users.createdAt, 1_000_000), lt(users.createdAt, 1_003_000))).orderBy(asc(users.createdAt));
    [a, b, c] = rows;
  });

  it('gives the rows the equivalent builder query gives, mapped the same (booleans included)', async () => {
    const values = { role: 'employee', from: 1_000_000, to: 1_002_000 };
    const built = await db().select().from(users)
      .where(and(eq(users.role, values.role as 'employee'), gte(users.createdAt, values.from), lt(users.createdAt, values.to)))
      .orderBy(asc(users.createdAt), asc(users.id));
    expect(built.map((u) => u.id)).toEqual([a.id, b.id]);
    expect(built.map((u) => u.active)).toEqual([true, false]);

    expect(await createdBetween.all(db(), values)).toEqual(built);
    const [viaBatch] = await db().batch([createdBetween.item(db(), values)]);
    expect(viaBatch).toEqual(built);
    expect(await byId.all(db(), { id: c.id })).toEqual(await db().select().from(users).where(eq(users.id, c.id)));
  });

  it('keeps each binding its own values when one template is bound twice in one batch', async () => {
    const [first, second, third] = await db().batch([
      byId.item(db(), { id: a.id }),
      byId.item(db(), { id: b.id }),
      createdBetween.item(db(), { role: 'admin', from: 1_000_000, to: 1_003_000 }),
    ]);
    expect((first as UserRow[]).map((u) => u.id)).toEqual([a.id]);
    expect((second as UserRow[]).map((u) => u.id)).toEqual([b.id]);
    expect((third as UserRow[]).map((u) => u.id)).toEqual([c.id]);
    // The template keeps no values of its own: a later call with the first values still gets A.
    expect((await byId.all(db(), { id: a.id })).map((u) => u.id)).toEqual([a.id]);
  });

  it('binds a raw template twice in one batch, each write with its own values', async () => {
    const [nameA, nameB] = [`renamed-a-${uniq()}`, `renamed-b-${uniq()}`];
    await db().batch([rename.item(db(), { name: nameA, id: a.id }), rename.item(db(), { name: nameB, id: b.id })]);
    const rows = await db().select({ id: users.id, name: users.name }).from(users).where(gte(users.createdAt, 1_000_000)).orderBy(asc(users.createdAt));
    expect(rows.map((r) => r.name)).toEqual([nameA, nameB, c.name]);
  });

  it('builds no SQL once made: binding a template (raw or built) only fills in values', async () => {
    // Made once (the first call), as a webhook's templates are on an isolate's first request.
    rename.item(db(), { name: 'x', id: 'none' });
    byId.item(db(), { id: 'none' });
    const dialect = (db() as unknown as { dialect: { sqlToQuery: (...args: unknown[]) => unknown } }).dialect;
    const building = vi.spyOn(dialect, 'sqlToQuery');
    try {
      const name = `renamed-once-${uniq()}`;
      await db().batch([rename.item(db(), { name, id: a.id }), byId.item(db(), { id: a.id })]);
      expect(building).not.toHaveBeenCalled();
      expect((await byId.all(db(), { id: a.id }))[0].name).toBe(name);
    } finally {
      building.mockRestore();
    }
  });

  it('maps computed, coded, JSON and nested fields as the builder does', async () => {
    const integration = await makeIntegration();
    await ingest(integration, clientText(uniq(), 'olá'));
    await ingest(integration, clientText(uniq(), 'oi de novo'));
    const select = (d: ReturnType<typeof db>, integrationId: string | ReturnType<typeof p>) => d.select({
      id: messages.id, direction: messages.direction, attachments: messages.attachments, createdAt: messages.createdAt,
      textLength: sql<number>`length(${messages.text})`.mapWith(Number), isIn: sql<boolean>`${messages.direction} = 'i'`.mapWith(Boolean),
    }).from(messages).innerJoin(chats, eq(chats.id, messages.chatId)).where(eq(chats.integrationId, integrationId)).orderBy(asc(messages.id));
    const flat = statementTemplate<{ integrationId: string }, Record<string, unknown>>((d) => select(d, p('integrationId')));
    // A nested selection keeps drizzle's own mapping (it folds a left join's all-null object to null).
    const nested = statementTemplate<{ integrationId: string }, Record<string, unknown>>((d) => d.select({ id: messages.id, chat: { status: chats.status, channel: chats.channel } })
      .from(messages).leftJoin(chats, eq(chats.id, messages.chatId)).where(eq(chats.integrationId, p('integrationId'))).orderBy(asc(messages.id)));
    const built = await select(db(), integration.id);
    expect(built.map((r) => [r.direction, r.textLength, r.isIn, r.attachments])).toEqual([['in', 3, true, []], ['in', 10, true, []]]);

    const [viaBatch, nestedRows] = await db().batch([flat.item(db(), { integrationId: integration.id }), nested.item(db(), { integrationId: integration.id })]);
    expect(viaBatch).toEqual(built);
    expect(await flat.all(db(), { integrationId: integration.id })).toEqual(built);
    expect((nestedRows as { chat: { status: string } }[]).map((r) => r.chat.status)).toEqual(['open', 'open']);
  });

  it('puts each placeholder in its own slot (bound in the wrong order, these would find or change nothing)', async () => {
    // The values object lists them in another order than the SQL does: binding goes by name.
    const rows = await createdBetween.all(db(), { to: 1_001_000, from: 1_000_000, role: 'employee' });
    expect(rows.map((u) => u.id)).toEqual([a.id]);
    const name = `renamed-c-${uniq()}`;
    await db().batch([rename.item(db(), { id: c.id, name })]);
    expect((await byId.all(db(), { id: c.id }))[0].name).toBe(name);
  });
});

describe('insert templates (insertRow)', () => {
  let chatId: string;
  beforeAll(async () => {
    const integration = await makeIntegration();
    await ingest(integration, clientText(uniq(), 'olá'));
    [{ id: chatId }] = await db().select({ id: chats.id }).from(chats).where(eq(chats.integrationId, integration.id));
  });

  const reply = (over: Partial<typeof messages.$inferInsert> = {}) => ({
    id: newId(), chatId, direction: 'out' as const, origin: 'agent' as const, text: `resposta ${uniq()}`, status: 'sent' as const, createdAt: Date.now(), ...over,
  });
  const stored = async (ids: string[]) => {
    const rows = await env.DB.prepare(`SELECT id, text, pending_op, attachments FROM messages WHERE id IN (${ids.map(() => '?').join(',')})`).bind(...ids).all<Record<string, unknown>>();
    return new Map(rows.results.map((r) => [r.id, r]));
  };

  it('stores what the builder stores: JSON encoded, a null as SQL NULL (not the text "null"), each row its own values in one batch', async () => {
    const op = { kind: 'edit', text: 'novo' };
    const rows = [reply({ pendingOp: null }), reply({ pendingOp: op as never }), reply({ pendingOp: null, attachments: [{ kind: 'photo' }] }), reply()];
    await db().batch(rows.map((r) => insertRow(db(), messages, r)) as [never, ...never[]]);
    const byId = await stored(rows.map((r) => r.id));
    expect(rows.map((r) => byId.get(r.id)?.text)).toEqual(rows.map((r) => r.text));
    expect(rows.map((r) => byId.get(r.id)?.pending_op)).toEqual([null, JSON.stringify(op), null, null]);
    expect(rows.map((r) => byId.get(r.id)?.attachments)).toEqual(['[]', '[]', '[{"kind":"photo"}]', '[]']);
    // Read back through drizzle: the same as a builder insert of the same row.
    const twin = reply({ pendingOp: op as never });
    await db().insert(messages).values(twin);
    const [viaTemplate, viaBuilder] = await Promise.all([rows[1].id, twin.id].map((id) => db().select().from(messages).where(eq(messages.id, id)).get()));
    expect({ ...viaTemplate, id: '', text: '' }).toEqual({ ...viaBuilder, id: '', text: '', createdAt: viaTemplate!.createdAt });
  });

  it('encodes booleans through their column, and skips a conflicting row when asked to', async () => {
    const [u1, u2] = [await makeUser('employee'), await makeUser('employee')];
    await db().batch([
      insertRow(db(), chatUserState, { chatId, userId: u1.id, muted: true, lastReadAt: 1 }),
      insertRow(db(), chatUserState, { chatId, userId: u2.id, muted: false, lastReadAt: 2 }),
      insertRow(db(), chatUserState, { chatId, userId: u1.id, muted: false, lastReadAt: 3 }, { onConflictDoNothing: true }),
    ]);
    const rows = await db().select().from(chatUserState).where(and(eq(chatUserState.chatId, chatId), inArray(chatUserState.userId, [u1.id, u2.id])));
    expect(rows.map((r) => [r.userId, r.muted, r.lastReadAt]).sort()).toEqual([[u1.id, true, 1], [u2.id, false, 2]].sort());
    await expect(db().batch([insertRow(db(), chatUserState, { chatId, userId: u1.id, muted: false, lastReadAt: 4 })])).rejects.toThrow();
  });

  it("builds a row afresh where a left-out column has a generated default (a template would keep the first call's value)", async () => {
    let tick = 5_000;
    // processed_updates as a schema with a generated default, which Ponte's own tables do not have.
    const stamped = sqliteTable('processed_updates', {
      integrationId: text('integration_id').notNull(), dedupKey: text('dedup_key').notNull(), receivedAt: integer('received_at').notNull().$defaultFn(() => ++tick),
    });
    const integrationId = `tmpl-${uniq()}`;
    for (const key of ['a', 'b']) await db().batch([insertRow(db(), stamped, { integrationId, dedupKey: key })]);
    const rows = await db().select().from(processedUpdates).where(eq(processedUpdates.integrationId, integrationId)).orderBy(asc(processedUpdates.dedupKey));
    expect(rows.map((r) => r.receivedAt)).toEqual([5_001, 5_002]);
  });

  it('builds a row afresh where a value is an SQL expression (bound, it would reach D1 as an object)', async () => {
    const integrationId = `tmpl-${uniq()}`;
    for (const [key, at] of [['a', 7_001], ['b', 7_002]] as const) {
      await db().batch([insertRow(db(), processedUpdates, { integrationId, dedupKey: key, receivedAt: sql`${at - 1} + 1` as never })]);
    }
    const rows = await db().select().from(processedUpdates).where(eq(processedUpdates.integrationId, integrationId)).orderBy(asc(processedUpdates.dedupKey));
    expect(rows.map((r) => r.receivedAt)).toEqual([7_001, 7_002]);
  });
});

