/**
 * A bare one-insert Worker: what a webhook costs at the very least on this machine. POST stores the
 * body as one row with one prepared D1 statement and answers 200; GET answers a constant (the quiet
 * probe). No framework, no imports. The table is created once per isolate.
 */
interface Env {
  DB: D1Database;
}

let tableReady: Promise<unknown> | null = null;

const ensureTable = (db: D1Database) => (tableReady ??= db
  .prepare('CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL)')
  .run()
  .catch((err) => {
    tableReady = null;
    throw err;
  }));

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return Response.json({ ok: true });
    const payload = await request.text();
    await ensureTable(env.DB);
    await env.DB.prepare('INSERT INTO bench_rows (id, payload, created_at) VALUES (?1, ?2, ?3)').bind(crypto.randomUUID(), payload, Date.now()).run();
    return new Response(null, { status: 200 });
  },
};
