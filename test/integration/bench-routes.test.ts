/**
 * The benchmark baselines (worker/http/bench.ts) exist only under PONTE_BENCH=1: without the var —
 * as in production — they are the app's ordinary 404 and write nothing.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { benchRoutes } from '../../worker/http/bench';
import { call } from '../support/http';

const rows = async () => (await env.DB.prepare('SELECT count(*) AS n FROM bench_rows').first<{ n: number }>())!.n;

describe('bench routes', () => {
  it('404 without PONTE_BENCH, and nothing is written', async () => {
    const constant = await call('GET', '/bench/constant');
    expect(constant.status).toBe(404);
    expect(((await constant.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const insert = await call('POST', '/bench/baseline-insert', { body: { x: 1 } });
    expect(insert.status).toBe(404);
    expect(await rows()).toBe(0);
  });

  it('404 when PONTE_BENCH is anything but "1"', async () => {
    const res = await benchRoutes.request('/bench/constant', {}, { ...env, PONTE_BENCH: 'true' });
    expect(res.status).toBe(404);
  });

  it('answers with PONTE_BENCH=1: a constant, and one row per insert', async () => {
    const benchEnv = { ...env, PONTE_BENCH: '1' };
    expect((await benchRoutes.request('/bench/constant', {}, benchEnv)).status).toBe(200);
    const res = await benchRoutes.request('/bench/baseline-insert', { method: 'POST', body: '{"update_id":1}' }, benchEnv);
    expect(res.status).toBe(200);
    expect(await rows()).toBe(1);
  });
});
