/**
 * P3 queries: over a generated inbox (gen-data.mjs: 100k chats, 1M messages), p50/p95 of every list
 * page the UI asks for, measured over HTTP one request at a time, next to GET /bench/constant in the
 * same run. Inbox groups as admin and as an employee, a deep page, the archive with each filter, the
 * timeline, and history search.
 */
import { apiClient } from './api.mjs';
import { percentile, runLoad } from './http-load.mjs';

/** The request list: [{name, cookie, path(i)}]; paths may vary with i (chat ids, cursors). */
export async function queryCases({ baseUrl, stack, cookies, ids }) {
  const api = apiClient(baseUrl);
  const sample = stack.d1(`SELECT c.id AS id, k.name AS name FROM chats c JOIN contacts k ON k.id = c.contact_id ORDER BY random() LIMIT 200`);
  const chatIds = sample.map((r) => r.id);
  const pick = (i) => chatIds[i % chatIds.length];
  // A cursor 20 pages deep, to show a page costs the same deep in the list.
  let cursor = null;
  for (let p = 0; p < 20; p++) {
    const page = await api.get(cookies.admin, `/api/chats?group=closed&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const month = 30 * 86_400_000;
  const mid = Date.now() - 180 * 86_400_000;
  const iso = (t) => new Date(t).toISOString();
  const timelineBefore = {};
  const cases = [];
  for (const [who, cookie] of [['admin', cookies.admin], ['employee', cookies.employee]]) {
    for (const group of ['mine', 'unassigned', 'others', 'closed']) cases.push({ name: `inbox ${group} (${who})`, cookie, path: () => `/api/chats?group=${group}&limit=50` });
  }
  if (cursor) cases.push({ name: 'inbox closed, page 21 (admin)', cookie: cookies.admin, path: () => `/api/chats?group=closed&limit=50&cursor=${cursor}` });
  if (cookies.observer) cases.push({ name: 'inbox closed (observer)', cookie: cookies.observer, path: () => '/api/chats?group=closed&limit=50' });
  const archive = [
    ['archive, no filter', ''],
    ['archive status=open', 'status=open'],
    ['archive status=closed', 'status=closed'],
    ['archive responsibleId=ana', `responsibleId=${ids.employee}`],
    ['archive responsibleId=none', 'responsibleId=none'],
    ['archive integrationId', `integrationId=${ids.integration}`],
    ['archive channel=viber', 'channel=viber'],
    ['archive tag=vip', 'tag=vip'],
    ['archive from/to (30 days)', `from=${iso(mid)}&to=${iso(mid + month)}`],
    ['archive q=contact name', `q=${encodeURIComponent(sample[0].name.split(' ')[1])}`],
    ['archive q=rare word', `q=${encodeURIComponent('garantia mattress')}`],
    ['archive q=common word', `q=${encodeURIComponent('pedido')}`],
    ['archive closed+telegram+tag', 'status=closed&channel=telegram&tag=entrega'],
  ];
  for (const [name, qs] of archive) cases.push({ name, cookie: cookies.admin, path: () => `/api/chats/archive?limit=50${qs ? `&${qs}` : ''}` });
  // Issue 17 (CRM): the Contacts directory search and a funnel board's first page (gen-data's funnel).
  const phones = stack.d1(`SELECT phone FROM contacts WHERE phone IS NOT NULL ORDER BY random() LIMIT 50`).map((r) => r.phone.replace(/\D/g, ''));
  cases.push({ name: 'contacts q=name word (≤ 20 ms)', cookie: cookies.admin, path: (i) => `/api/contacts?q=${encodeURIComponent(sample[i % sample.length].name.split(' ')[0])}` });
  if (phones.length) cases.push({ name: 'contacts q=phone digits (≤ 20 ms)', cookie: cookies.admin, path: (i) => `/api/contacts?q=${phones[i % phones.length]}` });
  if (ids.funnel) cases.push({ name: 'funnel board, first page (≤ 30 ms)', cookie: cookies.admin, path: () => `/api/funnels/${ids.funnel}/board` });
  cases.push({ name: 'timeline, newest page', cookie: cookies.employee, path: (i) => `/api/chats/${pick(i)}/timeline?limit=50` });
  cases.push({ name: 'timeline, older page', cookie: cookies.employee, path: (i) => `/api/chats/${pick(i)}/timeline?limit=5${timelineBefore[pick(i)] ? `&before=${timelineBefore[pick(i)]}` : ''}` });
  cases.push({ name: 'search in chat, word', cookie: cookies.employee, path: (i) => `/api/chats/${pick(i)}/search?q=${encodeURIComponent(['sofá', 'entrega', 'pedido', 'delivery', 'warranty'][i % 5])}` });
  cases.push({ name: 'search in chat, prefix', cookie: cookies.employee, path: (i) => `/api/chats/${pick(i)}/search?q=${encodeURIComponent(['pre', 'ent', 'del'][i % 3])}` });
  // Older timeline pages need a cursor from the newest page of the same chat.
  for (const id of chatIds.slice(0, 50)) {
    const page = await api.get(cookies.employee, `/api/chats/${id}/timeline?limit=5`).catch(() => null);
    if (page?.nextBefore) timelineBefore[id] = page.nextBefore;
  }
  return { cases, chats: chatIds.length };
}

/** Runs each case `n` times sequentially (after `warm` discarded), plus the constant baseline. */
export async function benchQueries({ baseUrl, cases, n = 100, warm = 10, log = console.log }) {
  const rows = [];
  const one = async (name, cookie, path) => {
    const run = await runLoad({ baseUrl, concurrency: 1, count: n + warm, warmup: warm, keep: true, next: (i) => ({ method: 'GET', path: path(i), headers: cookie ? { cookie } : {} }) });
    const bad = run.results.filter((r) => r.status !== 200);
    const row = { name, p50: round(percentile(run.latencies, 50)), p95: round(percentile(run.latencies, 95)), n: run.latencies.length, failures: bad.length, firstFailure: bad[0] ? `${bad[0].status} ${bad[0].body.slice(0, 160)}` : null };
    rows.push(row);
    log(`  ${name.padEnd(34)} p50 ${String(row.p50).padStart(6)} ms  p95 ${String(row.p95).padStart(6)} ms${row.failures ? `  FAILED ${row.failures}× ${row.firstFailure}` : ''}`);
  };
  await one('baseline GET /bench/constant', null, () => '/bench/constant');
  // The floor of every logged-in page: the session lookup (one D1 read) and a small JSON answer.
  await one('baseline GET /api/me (session only)', cases[0]?.cookie, () => '/api/me');
  for (const c of cases) await one(c.name, c.cookie, c.path);
  await one('baseline GET /bench/constant (again)', null, () => '/bench/constant');
  return rows;
}

const round = (x) => Math.round(x * 10) / 10;
