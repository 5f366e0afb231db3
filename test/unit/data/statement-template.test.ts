/**
 * data/statement-template.ts leans on drizzle's D1 batch contract (an item's `_prepare()`, its
 * `getQuery().params` bound to its `stmt`, its `mapResult`). These tests pin that contract against real
 * D1: a template gives the builder's rows, two bindings of one template in one batch keep their own
 * values, and placeholders land in their own slots even when swapping two would still be valid SQL.
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawTemplate, statementTemplate } from '../../../worker/data/statement-template';
import { users } from '../../../worker/data/schema';
import { db, makeUser, uniq } from '../../support/factory';

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

  it('puts each placeholder in its own slot (bound in the wrong order, these would find or change nothing)', async () => {
    // The values object lists them in another order than the SQL does: binding goes by name.
    const rows = await createdBetween.all(db(), { to: 1_001_000, from: 1_000_000, role: 'employee' });
    expect(rows.map((u) => u.id)).toEqual([a.id]);
    const name = `renamed-c-${uniq()}`;
    await db().batch([rename.item(db(), { id: c.id, name })]);
    expect((await byId.all(db(), { id: c.id }))[0].name).toBe(name);
  });
});
