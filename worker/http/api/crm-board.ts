/** A funnel's board (staff only): columns per stage with totals; moves and outcomes go through PATCH /opportunities/:id. */
import { createRoute } from '@hono/zod-openapi';
import { boardColumnPage, getBoard, getFunnel, type BoardCard } from '../../domain/crm';
import { BoardQuerySchema, BoardSchema } from '../../shared/board-wire';
import { isoOrNull } from '../../shared/crm-wire';
import { notFound } from '../../shared/errors';
import { errorResponses, IdParamSchema, jsonContent } from '../../shared/wire';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

const cardWire = (card: BoardCard) => ({ ...card, createdAt: isoOrNull(card.createdAt)!, inStageSince: isoOrNull(card.inStageSince)! });

export const boardRoutes = newRouter().openapi(
  createRoute({
    method: 'get', path: '/funnels/{id}/board', tags: ['crm'],
    request: { params: IdParamSchema, query: BoardQuerySchema },
    responses: { 200: jsonContent(BoardSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    requireAllowed(c, 'board:view');
    const { db } = c.var.deps;
    const { stageId, cursor, from, to, ...rest } = c.req.valid('query');
    const filter = { ...rest, from: from ? Date.parse(from) : undefined, to: to ? Date.parse(to) : undefined };
    const funnelId = c.req.valid('param').id;
    if (stageId) {
      const funnel = await getFunnel(db, funnelId);
      const stage = funnel.stages.find((s) => s.id === stageId);
      if (!stage) throw notFound('Stage');
      const page = await boardColumnPage(db, funnelId, stageId, filter, cursor);
      // Totals belong to the whole board's answer; a column's next page only carries cards.
      return c.json({ funnelId, name: funnel.name, columns: [{ stage, count: null, totalAmount: null, cards: page.cards.map(cardWire), nextCursor: page.nextCursor }] }, 200);
    }
    const board = await getBoard(db, funnelId, filter);
    return c.json({ ...board, columns: board.columns.map((col) => ({ ...col, cards: col.cards.map(cardWire) })) }, 200);
  },
);
