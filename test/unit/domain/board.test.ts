/** A funnel's board: columns, totals and filters; moves and outcome rules on opportunities. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chats, opportunities } from '../../../worker/data/schema';
import { createFunnel, getBoard, updateOpportunity } from '../../../worker/domain/crm';
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
