/** A funnel's board: columns, totals and filters; moves and outcome rules on opportunities. */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chats, opportunities } from '../../../worker/data/schema';
import { boardColumnPage, createFunnel, getBoard, updateOpportunity } from '../../../worker/domain/crm';
import { clientText, db, ingest, ingestDeps, makeIntegration, makeUser, uniq } from '../../support/factory';

async function boardWorld() {
  const funnel = await createFunnel({ db: db() }, { name: `Funil ${uniq()}`, stages: ['Novo', 'Proposta', 'Fechamento'] });
  const botA = await makeIntegration({ funnelId: funnel.id });
  const botB = await makeIntegration({ funnelId: funnel.id });
  const ana = await makeUser('employee');
  const opp = async (bot: typeof botA, responsible: string | null) => {
    const client = uniq();
    await ingest(bot, clientText(client, 'Oi'), ingestDeps(async () => responsible));
    const chat = (await db().select().from(chats).where(eq(chats.externalChatId, client)).get())!;
    return (await db().select().from(opportunities).where(eq(opportunities.chatId, chat.id)).get())!;
  };
  const o1 = await opp(botA, ana.id);
  const o2 = await opp(botA, null);
  const o3 = await opp(botB, ana.id);
  return { funnel, botA, botB, ana, o1, o2, o3 };
}

describe('board', () => {
  it('one column per stage in order, newest first, with counts and amount totals; filters narrow cards and totals', async () => {
    const w = await boardWorld();
    await updateOpportunity({ db: db() }, w.ana, w.o1.id, { amount: 100 });
    await updateOpportunity({ db: db() }, w.ana, w.o3.id, { amount: 50.5 });
    const board = await getBoard(db(), w.funnel.id, {});
    expect(board.columns.map((c) => c.stage.name)).toEqual(['Novo', 'Proposta', 'Fechamento']);
    expect(board.columns[0]).toMatchObject({ count: 3, totalAmount: 150.5 });
    expect(board.columns[0].cards.map((c) => c.id)).toEqual([w.o3.id, w.o2.id, w.o1.id]);
    expect(board.columns[1]).toMatchObject({ count: 0, totalAmount: 0, cards: [] });

    const anas = await getBoard(db(), w.funnel.id, { responsibleId: w.ana.id });
    expect(anas.columns[0].cards.map((c) => c.id)).toEqual([w.o3.id, w.o1.id]);
    expect(anas.columns[0].cards[0].responsibleName).toBe(w.ana.name);
    const botB = await getBoard(db(), w.funnel.id, { integrationId: w.botB.id });
    expect(botB.columns[0]).toMatchObject({ count: 1, totalAmount: 50.5 });
    const future = await getBoard(db(), w.funnel.id, { from: Date.now() + 60_000 });
    expect(future.columns[0].count).toBe(0);
  });

  it('a board opens with 20 cards per column and the column\'s next pages carry on from there, each card once', async () => {
    const funnel = await createFunnel({ db: db() }, { name: `Funil ${uniq()}`, stages: ['Novo', 'Proposta'] });
    // Ids a cursor accepts ([0-9a-z]); the deal's number is their last three digits.
    const tag = uniq().toLowerCase().replace(/[^0-9a-z]/g, '');
    // 75 deals in the first column, some opened in the same millisecond (the cursor breaks ties by id).
    await env.DB.batch([
      env.DB.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 74)
        INSERT INTO contacts (id, name, created_at, updated_at) SELECT ? || printf('%03d', i), 'Contact ' || i, 1700000000000, 1700000000000 FROM n`).bind(tag),
      env.DB.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 74)
        INSERT INTO opportunities (id, title, contact_id, funnel_id, stage_id, amount, created_at, updated_at)
        SELECT ? || printf('%03d', i), 'Deal ' || i, ? || printf('%03d', i), ?, ?, 1, 1700000000000 + (i / 3) * 1000, 1700000000000 FROM n`).bind(tag, tag, funnel.id, funnel.stages[0].id),
    ]);
    const board = await getBoard(db(), funnel.id, {});
    const first = board.columns[0];
    expect(first).toMatchObject({ count: 75, totalAmount: 75 });
    expect(first.cards).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const seen = first.cards.map((c) => c.id);
    let cursor = first.nextCursor;
    const pages: number[] = [];
    while (cursor) {
      const page = await boardColumnPage(db(), funnel.id, funnel.stages[0].id, {}, cursor);
      pages.push(page.cards.length);
      seen.push(...page.cards.map((c) => c.id));
      cursor = page.nextCursor;
    }
    expect(pages).toEqual([50, 5]);
    expect(new Set(seen).size).toBe(75);
    // Newest first: created_at rises with i / 3, and within a millisecond the ids descend, so the deals come 74, 73 … 0.
    expect(seen.map((id) => Number(id.slice(-3)))).toEqual(Array.from({ length: 75 }, (_, i) => 74 - i));
  });

  it('a move records when and from where; won/lost leave the board; lost needs a reason; closed deals do not move', async () => {
    const w = await boardWorld();
    const [novo, proposta] = w.funnel.stages;
    const moved = await updateOpportunity({ db: db() }, w.ana, w.o1.id, { stageId: proposta.id });
    expect(moved).toMatchObject({ stageId: proposta.id, previousStageId: novo.id });
    expect(moved.stageChangedAt).toBeTypeOf('number');
    let board = await getBoard(db(), w.funnel.id, {});
    expect(board.columns[1].cards.map((c) => c.id)).toEqual([w.o1.id]);
    expect(board.columns[1].cards[0].inStageSince).toBe(moved.stageChangedAt);

    await expect(updateOpportunity({ db: db() }, w.ana, w.o2.id, { outcome: 'lost' })).rejects.toMatchObject({ status: 400, code: 'reason_required' });
    await expect(updateOpportunity({ db: db() }, w.ana, w.o2.id, { outcomeReason: 'why' })).rejects.toMatchObject({ status: 400 });
    const lost = await updateOpportunity({ db: db() }, w.ana, w.o2.id, { outcome: 'lost', outcomeReason: 'Preço' });
    expect(lost).toMatchObject({ outcome: 'lost', outcomeReason: 'Preço' });
    expect(lost.closedAt).toBeTypeOf('number');
    const won = await updateOpportunity({ db: db() }, w.ana, w.o1.id, { outcome: 'won' });
    expect(won).toMatchObject({ outcome: 'won', outcomeReason: null });
    board = await getBoard(db(), w.funnel.id, {});
    expect(board.columns.flatMap((c) => c.cards.map((x) => x.id))).toEqual([w.o3.id]);
    expect(board.columns[0].count + board.columns[1].count).toBe(1);

    await expect(updateOpportunity({ db: db() }, w.ana, w.o1.id, { stageId: novo.id })).rejects.toMatchObject({ status: 409, code: 'opportunity_closed' });
    const reopened = await updateOpportunity({ db: db() }, w.ana, w.o1.id, { outcome: null, stageId: novo.id });
    expect(reopened).toMatchObject({ outcome: null, closedAt: null, stageId: novo.id, previousStageId: proposta.id });
  });
});
