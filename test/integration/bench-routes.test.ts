/**
 * The benchmark baselines (worker/http/bench.ts) exist only under PONTE_BENCH=1: without the var —
 * as in production — they are the app's ordinary 404 and write nothing. Their table is not part of the
 * app's schema (migration 0007 drops it): the baseline route creates it when it first needs it.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { benchRoutes } from '../../worker/http/bench';
import { makeChat } from '../support/chat-world';
import { call } from '../support/http';

const tableExists = async () => !!(await env.DB.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'bench_rows'").first());
const rows = async () => (await env.DB.prepare('SELECT count(*) AS n FROM bench_rows').first<{ n: number }>())!.n;
const benchEnv = () => ({ ...env, PONTE_BENCH: '1' });

describe('bench routes', () => {
  it('the migrated schema has no bench table', async () => {
    expect(await tableExists()).toBe(false);
  });

  it('404 without PONTE_BENCH, and nothing is written', async () => {
    for (const [method, path] of [['GET', '/bench/constant'], ['GET', '/bench/pending']] as const) {
      const res = await call(method, path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    const insert = await call('POST', '/bench/baseline-insert', { body: { x: 1 } });
    expect(insert.status).toBe(404);
    expect(await tableExists()).toBe(false);
  });

  it('404 when PONTE_BENCH is anything but "1"', async () => {
    for (const value of ['true', '0', '']) {
      const res = await benchRoutes.request('/bench/constant', {}, { ...env, PONTE_BENCH: value });
      expect(res.status).toBe(404);
    }
  });

  it('answers with PONTE_BENCH=1: a constant, and one row per insert in a table it creates itself', async () => {
    expect((await benchRoutes.request('/bench/constant', {}, benchEnv())).status).toBe(200);
    for (const n of [1, 2]) {
      const res = await benchRoutes.request('/bench/baseline-insert', { method: 'POST', body: `{"update_id":${n}}` }, benchEnv());
      expect(res.status).toBe(200);
    }
    expect(await rows()).toBe(2);
    const stored = await env.DB.prepare('SELECT payload FROM bench_rows ORDER BY created_at, payload').all<{ payload: string }>();
    expect(stored.results.map((r) => r.payload).sort()).toEqual(['{"update_id":1}', '{"update_id":2}']);
  });

  it('creates the table again if it went away while the isolate lived', async () => {
    await benchRoutes.request('/bench/baseline-insert', { method: 'POST', body: 'a' }, benchEnv());
    await env.DB.prepare('DROP TABLE bench_rows').run();
    const res = await benchRoutes.request('/bench/baseline-insert', { method: 'POST', body: 'b' }, benchEnv());
    expect(res.status).toBe(200);
    expect(await rows()).toBe(1);
  });

  it('pending counts rows the outbox still owes work on', async () => {
    const pending = async () => (await benchRoutes.request('/bench/pending', {}, benchEnv())).json();
    const { chatId } = await makeChat();
    await env.DB.prepare('UPDATE messages SET next_attempt_at = NULL').run();
    expect(await pending()).toEqual({ pending: 0, sending: 0 });
    // Stored letters (message-codes.ts): an outgoing ('o') manager reply ('a') still sending ('p').
    await env.DB.prepare("INSERT INTO messages (id, chat_id, direction, origin, text, status, created_at, next_attempt_at) VALUES ('bench-out', ?1, 'o', 'a', 'hi', 'p', ?2, ?2)")
      .bind(chatId, Date.now()).run();
    expect(await pending()).toEqual({ pending: 1, sending: 1 });
    await env.DB.prepare("UPDATE messages SET status = 's', next_attempt_at = NULL WHERE id = 'bench-out'").run();
    expect(await pending()).toEqual({ pending: 0, sending: 0 });
  });
});
