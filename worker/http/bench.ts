/**
 * Baselines for `npm run bench` (tools/bench/): the cheapest routes the Worker can answer, measured in
 * the same process and run as the real ones, so figures are ratios rather than absolute times that
 * drift with the machine. Answers only when the var PONTE_BENCH is "1" (`wrangler dev --var
 * PONTE_BENCH:1`); everywhere else, production included, these paths are the app's ordinary 404.
 *
 * Nothing here is part of the app's schema: the baseline's table is created by the route itself, in
 * whatever D1 it runs against, the first time it is needed.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { errorBody } from './error-responses';
import { directionCodes, statusCodes } from '../data/schema';

const enabled = (env: AppEnv['Bindings'] | undefined) => env?.PONTE_BENCH === '1';

const CREATE_TABLE = 'CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL)';
const INSERT_ROW = 'INSERT INTO bench_rows (id, payload, created_at) VALUES (?1, ?2, ?3)';

/** Once per isolate; forgotten when it failed or the table went away, so the next request tries again. */
let tableReady: Promise<unknown> | null = null;
const ensureTable = (db: D1Database) => (tableReady ??= db.prepare(CREATE_TABLE).run().catch((err) => {
  tableReady = null;
  throw err;
}));

async function insertRow(db: D1Database, payload: string) {
  const insert = () => db.prepare(INSERT_ROW).bind(crypto.randomUUID(), payload, Date.now()).run();
  await ensureTable(db);
  try {
    await insert();
  } catch (err) {
    if (!/no such table/i.test(String((err as Error)?.message))) throw err;
    tableReady = null;
    await ensureTable(db);
    await insert();
  }
}

export const benchRoutes = new Hono<AppEnv>()
  .use('/bench/*', async (c, next) => {
    if (!enabled(c.env)) return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
    await next();
  })
  // The floor: routing and a JSON answer, no storage.
  .get('/bench/constant', (c) => c.json({ ok: true }))
  // What one webhook can at best cost: read a small body, one raw prepared D1 insert.
  .post('/bench/baseline-insert', async (c) => {
    await insertRow(c.env.DB, await c.req.text());
    return c.body(null, 200);
  })
  // Work the Worker still owes after its responses: rows with a pending next attempt (outgoing replies
  // still `sending`, client files not yet kept). The bench waits for 0 before each measured round.
  .get('/bench/pending', async (c) => {
    const row = await c.env.DB.prepare(
      `SELECT count(*) AS pending, coalesce(sum(direction = '${directionCodes.out}' AND status = '${statusCodes.sending}'), 0) AS sending FROM messages WHERE next_attempt_at IS NOT NULL`,
    ).first<{ pending: number; sending: number }>();
    return c.json({ pending: row?.pending ?? 0, sending: row?.sending ?? 0 });
  });
