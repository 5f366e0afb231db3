/**
 * A funnel's board: a column per stage holding its open opportunities (newest first, a page at a time),
 * with each column's count and amount total under the same filters. Won and lost opportunities have left
 * the board. Each column is one range of the opportunities_board index, so a board of 10k deals costs a
 * few index walks, not a sort.
 */
import { and, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../data/db';
import { before, decodeCursor, pageOf } from '../../data/keyset';
import { chats, contacts, funnelStages, opportunities, users } from '../../data/schema';
import { funnelOf, funnelReads, type StageView } from './funnels';

export interface BoardFilter {
  responsibleId?: string;
  integrationId?: string;
  /** Opened at or after / before (ms). */
  from?: number;
  to?: number;
}

export interface BoardCard {
  id: string;
  title: string;
  stageId: string;
  amount: number | null;
  contactId: string;
  contactName: string;
  responsibleId: string | null;
  responsibleName: string | null;
  chatId: string | null;
  createdAt: number;
  /** Since when it sits in this stage (its age in the column). */
  inStageSince: number;
}

export interface BoardColumn {
  stage: StageView;
  count: number;
  totalAmount: number;
  cards: BoardCard[];
  nextCursor: string | null;
}

/** Cards per column when the board opens: about two screens of a column; "Show more" adds COLUMN_PAGE at a time. */
const FIRST_PAGE = 20;
const COLUMN_PAGE = 50;

function filterConditions(funnelId: string, f: BoardFilter): SQL[] {
  const where: SQL[] = [eq(opportunities.funnelId, funnelId), isNull(opportunities.outcome)];
  if (f.responsibleId) where.push(eq(opportunities.responsibleId, f.responsibleId));
  if (f.integrationId) where.push(sql`${opportunities.chatId} IN (SELECT ${chats.id} FROM ${chats} WHERE ${chats.integrationId} = ${f.integrationId})`);
  if (f.from !== undefined) where.push(gte(opportunities.createdAt, f.from));
  if (f.to !== undefined) where.push(lt(opportunities.createdAt, f.to));
  return where;
}

/** A card's columns, from `opportunities` itself or an alias of it (the alias's type names another table). */
function cardFields(o: typeof opportunities) {
  return {
    id: o.id, title: o.title, stageId: o.stageId, amount: o.amount, contactId: o.contactId,
    // Named apart: in a D1 batch rows come back keyed by column name, where two `name`s would collide.
    contactName: sql<string>`${contacts.name}`.as('contact_name'), responsibleId: o.responsibleId,
    responsibleName: sql<string | null>`${users.name}`.as('responsible_name'), chatId: o.chatId,
    createdAt: o.createdAt, inStageSince: sql<number>`coalesce(${o.stageChangedAt}, ${o.createdAt})`.as('in_stage_since'),
  };
}

/** The query of one column's cards after `cursor`, newest first (limit + 1 rows, to know if there are more). */
function columnQuery(db: Db, funnelId: string, stageId: string, filter: BoardFilter, cursor: string | undefined, limit: number) {
  return db
    .select(cardFields(opportunities))
    .from(opportunities)
    .innerJoin(contacts, eq(contacts.id, opportunities.contactId))
    .leftJoin(users, eq(users.id, opportunities.responsibleId))
    .where(and(...filterConditions(funnelId, filter), eq(opportunities.stageId, stageId), before(opportunities.createdAt, opportunities.id, decodeCursor(cursor))))
    .orderBy(desc(opportunities.createdAt), desc(opportunities.id)).limit(limit + 1);
}

/**
 * Every column's first page in one statement: for each stage of the funnel its newest limit + 1 cards,
 * found by a correlated `IN (… LIMIT)` that walks opportunities_board once per stage. The rows come
 * unordered (an ORDER BY here would sort them all); getBoard orders each column's few.
 */
function firstPagesQuery(db: Db, funnelId: string, filter: BoardFilter, limit: number) {
  const card = alias(opportunities, 'card');
  const newestOfStage = db.select({ id: opportunities.id }).from(opportunities)
    .where(and(...filterConditions(funnelId, filter), eq(opportunities.stageId, funnelStages.id)))
    .orderBy(desc(opportunities.createdAt), desc(opportunities.id)).limit(limit + 1);
  return db
    .select(cardFields(card as unknown as typeof opportunities))
    .from(funnelStages)
    .innerJoin(card, inArray(card.id, newestOfStage))
    .innerJoin(contacts, eq(contacts.id, card.contactId))
    .leftJoin(users, eq(users.id, card.responsibleId))
    .where(eq(funnelStages.funnelId, funnelId));
}

type CardRow = Awaited<ReturnType<typeof columnQuery>>[number];

const newestFirst = (a: CardRow, b: CardRow) => (a.createdAt !== b.createdAt ? b.createdAt - a.createdAt : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** A column's page from its rows, newest first (limit + 1 of them tell whether there are more). */
function columnOf(rows: CardRow[], limit: number) {
  const { page, next } = pageOf(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return { cards: page, nextCursor: next };
}

/** One column's cards after `cursor` (the board's "more" in one column). */
export async function boardColumnPage(db: Db, funnelId: string, stageId: string, filter: BoardFilter, cursor?: string, limit = COLUMN_PAGE) {
  return columnOf(await columnQuery(db, funnelId, stageId, filter, cursor, limit).all(), limit);
}

/**
 * The whole board: every stage in order with its first page of cards and its totals. 404 for no funnel.
 * One D1 round trip whatever the number of stages: the funnel, its stages, the totals and every
 * column's first page in one batch (a request pays per round trip, ~3.5 ms locally).
 */
export async function getBoard(db: Db, funnelId: string, filter: BoardFilter): Promise<{ funnelId: string; name: string; columns: BoardColumn[] }> {
  const [funnelRow, stageRows, totals, cards] = await db.batch([
    ...funnelReads(db, funnelId),
    db.select({ stageId: opportunities.stageId, count: sql<number>`count(*)`, total: sql<number>`coalesce(sum(${opportunities.amount}), 0)` })
      .from(opportunities).where(and(...filterConditions(funnelId, filter))).groupBy(opportunities.stageId),
    firstPagesQuery(db, funnelId, filter, FIRST_PAGE),
  ]);
  const funnel = funnelOf([funnelRow, stageRows]);
  const columns = funnel.stages.map((stage) => {
    const t = totals.find((x) => x.stageId === stage.id);
    const mine = (cards as CardRow[]).filter((c) => c.stageId === stage.id).sort(newestFirst);
    return { stage, count: t?.count ?? 0, totalAmount: t?.total ?? 0, ...columnOf(mine, FIRST_PAGE) };
  });
  return { funnelId: funnel.id, name: funnel.name, columns };
}
