/**
 * Baselines for `npm run bench` (tools/bench/): the cheapest routes the Worker can answer, measured in
 * the same process and run as the real ones, so figures are ratios rather than absolute times that
 * drift with the machine. Answers only when the var PONTE_BENCH is "1" (`wrangler dev --var
 * PONTE_BENCH:1`); everywhere else, production included, these paths are the app's ordinary 404.
 */
import { Hono } from 'hono';
import { database } from '../data/db';
import { benchRows } from '../data/schema';
import { newId } from '../domain/ids';
import type { AppEnv } from '../env';
import { errorBody } from './errors';

const enabled = (env: unknown) => (env as { PONTE_BENCH?: string } | undefined)?.PONTE_BENCH === '1';

export const benchRoutes = new Hono<AppEnv>()
  .use('/bench/*', async (c, next) => {
    if (!enabled(c.env)) return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
    await next();
  })
  // The floor: routing and a JSON answer, no storage.
  .get('/bench/constant', (c) => c.json({ ok: true }))
  // What one webhook can at best cost: read a small body, one drizzle insert into D1.
  .post('/bench/baseline-insert', async (c) => {
    const payload = await c.req.text();
    await database(c.env.DB).insert(benchRows).values({ id: newId(), payload, createdAt: Date.now() });
    return c.body(null, 200);
  });
