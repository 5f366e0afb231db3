/**
 * A funnel's board: a column per stage holding its open opportunities (newest first, a page at a time),
 * with each column's count and amount total under the same filters. Won and lost opportunities have left
 * the board. Each column is one range of the opportunities_board index, so a board of 10k deals costs a
 * few index walks, not a sort.
 */
import { and, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { before, decodeCursor, pageOf } from '../../data/keyset';
import { chats, contacts, opportunities, users } from '../../data/schema';
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

const COLUMN_PAGE = 50;

function filterConditions(funnelId: string, f: BoardFilter): SQL[] {
  const where: SQL[] = [eq(opportunities.funnelId, funnelId), isNull(opportunities.outcome)];
  if (f.responsibleId) where.push(eq(opportunities.responsibleId, f.responsibleId));
  if (f.integrationId) where.push(sql`${opportunities.chatId} IN (SELECT ${chats.id} FROM ${chats} WHERE ${chats.integrationId} = ${f.integrationId})`);
  if (f.from !== undefined) where.push(gte(opportunities.createdAt, f.from));
  if (f.to !== undefined) where.push(lt(opportunities.createdAt, f.to));
  return where;
}

/** The query of one column's cards after `cursor`, newest first (limit + 1 rows, to know if there are more). */
function columnQuery(db: Db, funnelId: string, stageId: string, filter: BoardFilter, cursor: string | undefined, limit: number) {
  return db
    .select({
      id: opportunities.id, title: opportunities.title, stageId: opportunities.stageId, amount: opportunities.amount, contactId: opportunities.contactId,
      // Named apart: in a D1 batch rows come back keyed by column name, where two `name`s would collide.
      contactName: sql<string>`${contacts.name}`.as('contact_name'), responsibleId: opportunities.responsibleId,
      responsibleName: sql<string | null>`${users.name}`.as('responsible_name'), chatId: opportunities.chatId,
      createdAt: opportunities.createdAt, inStageSince: sql<number>`coalesce(${opportunities.stageChangedAt}, ${opportunities.createdAt})`.as('in_stage_since'),
    })
    .from(opportunities)
    .innerJoin(contacts, eq(contacts.id, opportunities.contactId))
    .leftJoin(users, eq(users.id, opportunities.responsibleId))
    .where(and(...filterConditions(funnelId, filter), eq(opportunities.stageId, stageId), before(opportunities.createdAt, opportunities.id, decodeCursor(cursor))))
    .orderBy(desc(opportunities.createdAt), desc(opportunities.id)).limit(limit + 1);
}

type CardRow = Awaited<ReturnType<typeof columnQuery>>[number];

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
 * Two D1 round trips whatever the number of stages: the funnel, its stages and the totals in one batch,
 * then every column's first page in another (a request pays per round trip, ~3.5 ms locally).
 */
export async function getBoard(db: Db, funnelId: string, filter: BoardFilter): Promise<{ funnelId: string; name: string; columns: BoardColumn[] }> {
  const [funnelRow, stageRows, totals] = await db.batch([
    ...funnelReads(db, funnelId),
    db.select({ stageId: opportunities.stageId, count: sql<number>`count(*)`, total: sql<number>`coalesce(sum(${opportunities.amount}), 0)` })
      .from(opportunities).where(and(...filterConditions(funnelId, filter))).groupBy(opportunities.stageId),
  ]);
  const funnel = funnelOf([funnelRow, stageRows]);
  const [first, ...rest] = funnel.stages.map((stage) => columnQuery(db, funnelId, stage.id, filter, undefined, COLUMN_PAGE));
  const pages = first ? await db.batch([first, ...rest]) : [];
  const columns = funnel.stages.map((stage, i) => {
    const t = totals.find((x) => x.stageId === stage.id);
    return { stage, count: t?.count ?? 0, totalAmount: t?.total ?? 0, ...columnOf(pages[i] as CardRow[], COLUMN_PAGE) };
  });
  return { funnelId: funnel.id, name: funnel.name, columns };
}
