/**
 * Abuse cases from issue 13, each bounded in time and printed as one pass/fail line: password guessing
 * (per-account lock with Retry-After), live-socket floods from one session (4429) and oversized frames
 * (1009), authenticated poison webhooks (200, never 5xx), an unauthenticated malformed webhook to an
 * unknown integration (404, no write), arrays at the sizes past D1's 100-parameter limit (2xx), and
 * the security headers of `/` and `/api/me`. Run last: the guessing trips the per-address login limit.
 */
import WebSocket from 'ws';
import { apiClient, mapLimit } from '../bench/api.mjs';
import { telegramHeaders, telegramTextUpdate, viberHeaders, viberMessageBody } from '../bench/updates.mjs';
import { diffCounts, quiesce, tableCounts } from './checks.mjs';
import { CALL_DEADLINE_MS, rawFetch, withDeadline } from './raw-http.mjs';

const CASE_DEADLINE_MS = 120_000;
const LIVE_CLOSE_TOO_MANY = 4429;
const SOCKETS_PER_SESSION = 10;
const FRAME_BYTES = 4 * 1024;

export async function abuse(stack, ledger, { telegram, viber, viberToken }) {
  const api = apiClient(stack.baseUrl);
  const admin = await api.login('admin@demo.ponte', 'demo-admin');
  const run = async (name, fn) => {
    try {
      const { ok, detail } = await withDeadline(fn(), CASE_DEADLINE_MS, name);
      ledger.check(`abuse: ${name}`, ok, detail);
    } catch (err) {
      ledger.crashed(`abuse: ${name}`, err);
    }
  };
  const timed = (url, init = {}) => fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(CALL_DEADLINE_MS) });

  await run('headers of / and /api/me (CSP, nosniff, no-store)', async () => {
    const page = await timed(`${stack.baseUrl}/`);
    const me = await timed(`${stack.baseUrl}/api/me`, { headers: { cookie: admin } });
    await page.arrayBuffer(); await me.arrayBuffer();
    const h = (res, name) => res.headers.get(name) ?? '';
    const problems = [];
    if (!h(page, 'content-security-policy').includes("default-src")) problems.push(`/ CSP "${h(page, 'content-security-policy')}"`);
    if (h(page, 'x-content-type-options') !== 'nosniff') problems.push('/ no nosniff');
    if (h(me, 'x-content-type-options') !== 'nosniff') problems.push('/api/me no nosniff');
    if (!h(me, 'cache-control').includes('no-store')) problems.push(`/api/me cache-control "${h(me, 'cache-control')}"`);
    return { ok: page.status === 200 && me.status === 200 && !problems.length, detail: `/ → ${page.status}, /api/me → ${me.status}${problems.length ? `; ${problems.join('; ')}` : ''}` };
  });

  await run('authenticated poison webhooks (username null, photo [null], viber sender null) → 200, no 5xx', async () => {
    const base = JSON.parse(telegramTextUpdate({ updateId: 997_000_001, userId: 6_970_000_001, text: 'poison probe' }));
    const nullUsername = structuredClone(base);
    nullUsername.message.from.username = null;
    const nullPhoto = structuredClone(base);
    nullPhoto.update_id = 997_000_002;
    delete nullPhoto.message.text;
    nullPhoto.message.photo = [null];
    const vb = viberMessageBody({ messageToken: 8_300_000_000_000_000_001n, userId: 'poisonUser00000000000A==', name: 'Poison', text: 'poison probe' }).replace(/"sender":\{[^}]*\}/, '"sender":null');
    const answers = [
      await rawFetch(stack.baseUrl, 'POST', `/webhooks/telegram/${telegram.id}`, telegramHeaders(telegram.secret), JSON.stringify(nullUsername)),
      await rawFetch(stack.baseUrl, 'POST', `/webhooks/telegram/${telegram.id}`, telegramHeaders(telegram.secret), JSON.stringify(nullPhoto)),
      await rawFetch(stack.baseUrl, 'POST', `/webhooks/viber/${viber.id}`, viberHeaders(viberToken, vb), vb),
    ].map((r) => r.status);
    return { ok: answers.every((s) => s === 200), detail: `statuses ${answers.join(', ')}` };
  });

  await run('unauthenticated malformed webhook to an unknown integration → 404, nothing written', async () => {
    await quiesce(stack, 30_000);
    const before = tableCounts(stack);
    const res = await rawFetch(stack.baseUrl, 'POST', '/webhooks/telegram/0nosuchintegration999', { 'content-type': 'application/json' }, '{"update_id": 1, "message": {"text": ');
    const changed = diffCounts(before, tableCounts(stack));
    return { ok: res.status === 404 && !changed, detail: `got ${res.status}${changed ? `; CHANGED ${changed}` : '; nothing changed'}` };
  });

  await run('arrays past 100 bound parameters (queue 40, observers 60, funnel 40 stages) → 2xx', async () => {
    const tag = Date.now().toString(36);
    const made = await mapLimit(Array.from({ length: 60 }, (_, i) => i), 4, async (i) => {
      const res = await api.raw(admin, 'POST', '/api/users', { email: `abuse-${tag}-${i}@test.ponte`, name: `Abuse ${i}`, role: 'employee', password: 'long-enough-1' });
      if (res.status !== 201) throw new Error(`creating user ${i} → ${res.status}`);
      return res.data.id;
    });
    const [chat] = stack.d1('SELECT id FROM chats ORDER BY last_message_at DESC LIMIT 1');
    const queue = await api.raw(admin, 'PUT', `/api/integrations/${viber.id}/queue`, { userIds: made.slice(0, 40), away: made.slice(0, 40) });
    const observers = await api.raw(admin, 'PUT', `/api/chats/${chat.id}/observers`, { userIds: made });
    const funnel = await api.raw(admin, 'POST', '/api/funnels', { name: `Abuse ${tag}`, stages: Array.from({ length: 40 }, (_, i) => `Etapa ${i + 1}`) });
    const statuses = { queue: queue.status, observers: observers.status, funnel: funnel.status };
    return { ok: Object.values(statuses).every((s) => s >= 200 && s < 300), detail: JSON.stringify(statuses) };
  });

  await run(`${SOCKETS_PER_SESSION + 1} live sockets from one session → the extra one closed with ${LIVE_CLOSE_TOO_MANY}`, async () => {
    const cookie = await api.login('admin@demo.ponte', 'demo-admin');
    const sockets = [];
    try {
      const outcomes = [];
      for (let i = 0; i < SOCKETS_PER_SESSION + 1; i++) {
        const { ws, outcome } = openLive(stack.baseUrl, cookie);
        sockets.push(ws);
        outcomes.push(await outcome);
      }
      const extra = outcomes.at(-1);
      const kept = outcomes.slice(0, -1).filter((o) => o.kind === 'open').length;
      return { ok: kept === SOCKETS_PER_SESSION && extra.kind === 'closed' && extra.code === LIVE_CLOSE_TOO_MANY, detail: `${kept} stayed open; the extra one: ${extra.kind}${extra.code ? ` ${extra.code}` : ''}` };
    } finally {
      for (const ws of sockets) ws.terminate();
    }
  });

  await run('an oversized live frame → closed with 1009', async () => {
    const cookie = await api.login('admin@demo.ponte', 'demo-admin');
    const { ws, outcome } = openLive(stack.baseUrl, cookie);
    try {
      const opened = await outcome;
      if (opened.kind !== 'open') return { ok: false, detail: `socket did not open: ${opened.kind} ${opened.code ?? ''}` };
      const closed = closeOf(ws, 15_000);
      ws.send('x'.repeat(FRAME_BYTES + 1));
      const c = await closed;
      return { ok: c.code === 1009, detail: `closed with ${c.code ?? 'nothing within 15 s'}` };
    } finally {
      ws.terminate();
    }
  });

  await run('40 wrong passwords → 429 with Retry-After before the 41st, then the right password refused', async () => {
    const email = `guess-${Date.now().toString(36)}@test.ponte`;
    const created = await api.raw(admin, 'POST', '/api/users', { email, name: 'Guess', role: 'employee', password: 'right-password-1' });
    if (created.status !== 201) return { ok: false, detail: `creating the user → ${created.status}` };
    const login = async (password) => {
      const res = await timed(`${stack.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    };
    const statuses = [];
    let firstLocked = null;
    for (let i = 0; i < 40; i++) {
      const r = await login(`wrong-${i}`);
      statuses.push(r.status);
      if (r.status === 429 && firstLocked === null && Number(r.retryAfter) >= 1) firstLocked = i + 1;
    }
    const right = await login('right-password-1');
    const bad = statuses.filter((s) => s !== 401 && s !== 429);
    return {
      ok: firstLocked !== null && !bad.length && right.status === 429 && Number(right.retryAfter) >= 1,
      detail: `first 429 with Retry-After at attempt ${firstLocked ?? 'none'}, ${statuses.filter((s) => s === 401).length}×401, ${statuses.filter((s) => s === 429).length}×429${bad.length ? `, other ${bad.join(',')}` : ''}; right password → ${right.status} (Retry-After ${right.retryAfter})`,
    };
  });
}

/** Opens the inbox feed; `outcome` settles on open, on a close (with its code) or on an error, within 15 s. */
function openLive(baseUrl, cookie) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/live`, { headers: { cookie, origin: baseUrl } });
  ws.on('error', () => {});
  const outcome = new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'nothing within 15 s' }), 15_000);
    const done = (o) => { clearTimeout(timer); resolve(o); };
    ws.once('open', () => {
      // A socket refused with 4429 is first accepted, then closed at once: give the close a moment.
      const settle = setTimeout(() => done({ kind: 'open' }), 1500);
      ws.once('close', (code) => { clearTimeout(settle); done({ kind: 'closed', code }); });
    });
    ws.once('unexpected-response', (_req, res) => done({ kind: `refused ${res.statusCode}` }));
    ws.once('error', (err) => done({ kind: `error ${err.message}` }));
  });
  return { ws, outcome };
}

function closeOf(ws, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({}), ms);
    ws.once('close', (code) => { clearTimeout(timer); resolve({ code }); });
  });
}
