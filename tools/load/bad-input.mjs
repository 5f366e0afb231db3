/**
 * Bad input, each case on its own: forged and missing credentials, broken JSON, wrong content types,
 * oversized bodies, unknown integrations, someone else's session, cross-origin writes. Each must get
 * its clear 4xx and leave every table's row count as it was. Then hostile text (SQL, HTML) in every
 * text field: accepted, stored verbatim, returned verbatim, and the tables intact.
 */
import { randomBytes } from 'node:crypto';
import { apiClient, waitQuiet } from '../bench/api.mjs';
import { telegramHeaders, telegramTextUpdate, viberHeaders, viberMessageBody } from '../bench/updates.mjs';
import { diffCounts, quiesce, tableCounts } from './checks.mjs';
import { CALL_DEADLINE_MS, rawFetch, withDeadline } from './raw-http.mjs';

const MIB = 1024 * 1024;

export async function badInput(stack, ledger, { telegram, viber, viberToken }) {
  const api = apiClient(stack.baseUrl);
  const admin = await api.login('admin@demo.ponte', 'demo-admin');
  const ana = await api.login('ana@demo.ponte', 'demo-ana');
  const olga = await api.login('olga@demo.ponte', 'demo-olga');
  const gone = await api.login('bruno@demo.ponte', 'demo-bruno');
  await api.raw(gone, 'POST', '/api/auth/logout', {});
  const [olgaRow] = stack.d1(`SELECT id FROM users WHERE email = 'olga@demo.ponte'`);
  const [chat] = stack.d1(`SELECT id FROM chats WHERE id NOT IN (SELECT chat_id FROM chat_observers WHERE user_id = '${olgaRow.id}') ORDER BY last_message_at DESC LIMIT 1`);
  const tgPath = `/webhooks/telegram/${telegram.id}`;
  const vbPath = `/webhooks/viber/${viber.id}`;
  const update = telegramTextUpdate({ updateId: 999_000_001, userId: 6_900_000_001, text: 'bad input probe' });
  const vbBody = viberMessageBody({ messageToken: 8_100_000_000_000_000_001n, userId: 'badInputUser000000000A==', name: 'Probe', text: 'bad input probe' });
  const big = 'x'.repeat(MIB + 1024);
  const bigUpdate = telegramTextUpdate({ updateId: 999_000_002, userId: 6_900_000_002, text: big });
  const send = (method, path, { headers = {}, body, chunked = false } = {}) => rawFetch(stack.baseUrl, method, path, headers, body, chunked);
  const replyPath = `/api/chats/${chat.id}/messages`;
  const json = { 'content-type': 'application/json' };

  const cases = [
    ['telegram webhook, forged secret', [401], () => send('POST', tgPath, { headers: telegramHeaders('forged-secret-123'), body: update })],
    ['telegram webhook, missing secret', [401], () => send('POST', tgPath, { headers: json, body: update })],
    ['viber webhook, forged signature', [401], () => send('POST', vbPath, { headers: { ...json, 'x-viber-content-signature': randomBytes(32).toString('hex') }, body: vbBody })],
    ['viber webhook, missing signature', [401], () => send('POST', vbPath, { headers: json, body: vbBody })],
    ['viber webhook, signature of other bytes', [401], () => send('POST', vbPath, { headers: viberHeaders(viberToken, vbBody), body: vbBody.replace('bad input probe', 'tampered text!!') })],
    ['viber webhook, signed with another token', [401], () => send('POST', vbPath, { headers: viberHeaders('0000000000000000-0000000000000000-0000000000000000', vbBody), body: vbBody })],
    ['telegram webhook, malformed JSON', [400], () => send('POST', tgPath, { headers: telegramHeaders(telegram.secret), body: '{"update_id": 999000003, "message": {"text": ' })],
    ['telegram webhook, truncated update', [400], () => send('POST', tgPath, { headers: telegramHeaders(telegram.secret), body: update.slice(0, Math.floor(update.length / 2)) })],
    ['telegram webhook, JSON that is not an update', [400], () => send('POST', tgPath, { headers: telegramHeaders(telegram.secret), body: '"just a string"' })],
    ['viber webhook, truncated body (validly signed)', [400], () => { const b = vbBody.slice(0, 60); return send('POST', vbPath, { headers: viberHeaders(viberToken, b), body: b }); }],
    ['telegram webhook, form content type', [400, 415], () => send('POST', tgPath, { headers: { ...telegramHeaders(telegram.secret), 'content-type': 'application/x-www-form-urlencoded' }, body: update })],
    ['telegram webhook, 1 MiB+ body', [413], () => send('POST', tgPath, { headers: telegramHeaders(telegram.secret), body: bigUpdate })],
    ['telegram webhook, 1 MiB+ body, chunked (no length)', [413], () => send('POST', tgPath, { headers: telegramHeaders(telegram.secret), body: bigUpdate, chunked: true })],
    ['viber webhook, 1 MiB+ body (validly signed)', [413], () => { const b = viberMessageBody({ messageToken: 8_100_000_000_000_000_002n, userId: 'badInputUser000000000A==', name: 'Probe', text: big }); return send('POST', vbPath, { headers: viberHeaders(viberToken, b), body: b }); }],
    ['telegram webhook, unknown integration id', [404], () => send('POST', '/webhooks/telegram/0nosuchintegration000', { headers: telegramHeaders(telegram.secret), body: update })],
    ['viber webhook, unknown integration id', [404], () => send('POST', '/webhooks/viber/0nosuchintegration000', { headers: viberHeaders(viberToken, vbBody), body: vbBody })],
    ['telegram body to the viber integration id', [401, 404], () => send('POST', `/webhooks/telegram/${viber.id}`, { headers: telegramHeaders(telegram.secret), body: update })],
    ['unknown channel', [404], () => send('POST', `/webhooks/whatsapp/${telegram.id}`, { headers: telegramHeaders(telegram.secret), body: update })],
    ['reply, malformed JSON', [400], () => send('POST', replyPath, { headers: { ...json, cookie: ana }, body: '{"text": "unterminated' })],
    ['reply, text/plain content type', [400, 415], () => send('POST', replyPath, { headers: { 'content-type': 'text/plain', cookie: ana }, body: '{"text":"hello"}' })],
    ['reply, form content type', [400, 415], () => send('POST', replyPath, { headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ana }, body: 'text=hello' })],
    ['reply, empty text', [400], () => send('POST', replyPath, { headers: { ...json, cookie: ana }, body: '{"text":""}' })],
    ['reply, 1 MiB+ body', [413], () => send('POST', replyPath, { headers: { ...json, cookie: ana }, body: JSON.stringify({ text: big }) })],
    ['reply, no session', [401], () => send('POST', replyPath, { headers: json, body: '{"text":"hello"}' })],
    ['reply, forged session cookie', [401], () => send('POST', replyPath, { headers: { ...json, cookie: `${ana.split('=')[0]}=${randomBytes(24).toString('base64url')}` }, body: '{"text":"hello"}' })],
    ['reply, logged-out session cookie', [401], () => send('POST', replyPath, { headers: { ...json, cookie: gone }, body: '{"text":"hello"}' })],
    ["reply with an observer's cookie (chat not observed)", [403, 404], () => send('POST', replyPath, { headers: { ...json, cookie: olga }, body: '{"text":"hello"}' })],
    ["observer's cookie reads a chat not observed", [403, 404], () => send('GET', `/api/chats/${chat.id}`, { headers: { cookie: olga } })],
    ["employee's cookie creates a user", [403], () => send('POST', '/api/users', { headers: { ...json, cookie: ana }, body: JSON.stringify({ email: 'mallory@evil.example', name: 'Mallory', role: 'admin', password: 'long-enough-1' }) })],
    ["employee's cookie connects a bot", [403], () => send('POST', '/api/integrations', { headers: { ...json, cookie: ana }, body: JSON.stringify({ channel: 'telegram', token: '1:x' }) })],
    ['cross-origin reply (Origin of another site)', [403], () => send('POST', replyPath, { headers: { ...json, cookie: ana, origin: 'https://evil.example' }, body: '{"text":"hello"}' })],
    ['cross-origin reply (Origin: null)', [403], () => send('POST', replyPath, { headers: { ...json, cookie: ana, origin: 'null' }, body: '{"text":"hello"}' })],
    ['cross-origin reply (Sec-Fetch-Site: cross-site)', [403], () => send('POST', replyPath, { headers: { ...json, cookie: ana, 'sec-fetch-site': 'cross-site' }, body: '{"text":"hello"}' })],
    ['cross-origin close', [403], () => send('POST', `/api/chats/${chat.id}/close`, { headers: { ...json, cookie: admin, origin: 'https://evil.example' }, body: '{}' })],
    ['cross-origin user creation by an admin', [403], () => send('POST', '/api/users', { headers: { ...json, cookie: admin, origin: 'https://evil.example' }, body: JSON.stringify({ email: 'mallory2@evil.example', name: 'M', role: 'admin', password: 'long-enough-1' }) })],
    ['cross-origin login', [403], () => send('POST', '/api/auth/login', { headers: { ...json, origin: 'https://evil.example' }, body: JSON.stringify({ email: 'admin@demo.ponte', password: 'demo-admin' }) })],
  ];

  await quiesce(stack);
  let counted = null; // the previous case's "after", when nothing moved since
  for (const [name, expected, run] of cases) {
    // A case that did store something (a bug) sets off deliveries: let them finish before counting.
    await waitQuiet(stack, { quietMs: 1000, timeoutMs: 30_000 });
    const before = counted ?? tableCounts(stack);
    let res;
    try {
      res = await withDeadline(run(), CALL_DEADLINE_MS + 5_000, name);
    } catch (err) {
      res = { status: 0, body: String(err?.message ?? err) };
    }
    // wrangler dev's local proxy answers the request after an aborted upload with a 503 ("worker
    // restarted mid-request"); a throw-away GET absorbs it so it is not blamed on the next case.
    await rawFetch(stack.baseUrl, 'GET', '/api/me', {});
    const after = tableCounts(stack);
    const changed = diffCounts(before, after);
    counted = changed ? null : after;
    const code = errorCode(res.body);
    // An answer whose body never ended is not a clear answer, whatever its status said.
    ledger.check(`bad input: ${name} → ${expected.join('/')}`, expected.includes(res.status) && !changed && code !== null && !res.note,
      `got ${res.status}${code ? ` ${code}` : res.status === 0 ? ` (${res.body})` : ' (no error code in the body)'}${res.note ? ` (${res.note})` : ''}${changed ? `; CHANGED ${changed}` : '; nothing changed'}`);
  }

  await hostileText(stack, ledger, { api, admin, ana, telegram, viber, viberToken });
}

/** SQL and HTML in every text field: accepted, kept verbatim, handed back verbatim, tables intact. */
async function hostileText(stack, ledger, { api, admin, ana, telegram, viber, viberToken }) {
  const sqlish = `Robert'); DROP TABLE chats;-- " OR 1=1 --`;
  const htmlish = `<img src=x onerror=alert(1)><script>alert("x")</script>&amp;`;
  const both = `${sqlish} ${htmlish}`;
  const before = tableCounts(stack);
  const problems = [];
  const expect = (what, got, want) => {
    if (got !== want) problems.push(`${what}: got ${JSON.stringify(got)?.slice(0, 80)}`);
  };
  // Client side: every text field of a Telegram update and a Viber callback.
  const tgUserId = 6_950_000_000 + Math.floor(Math.random() * 1e6);
  const tgBody = JSON.stringify({ update_id: 998_000_000 + (tgUserId % 1e6), message: { message_id: 1, date: Math.floor(Date.now() / 1000), text: both, from: { id: tgUserId, is_bot: false, first_name: sqlish, last_name: htmlish, username: 'x_or_1_1', language_code: 'pt-br' }, chat: { id: tgUserId, type: 'private', first_name: sqlish, last_name: htmlish } } });
  const tgRes = await rawFetch(stack.baseUrl, 'POST', `/webhooks/telegram/${telegram.id}`, telegramHeaders(telegram.secret), tgBody);
  expect('telegram webhook status', tgRes.status, 200);
  const vbBody = viberMessageBody({ messageToken: 8_200_000_000_000_000_000n + BigInt(tgUserId), userId: `hostile${tgUserId}AAAAAAAA==`, name: both, text: both });
  const vbRes = await rawFetch(stack.baseUrl, 'POST', `/webhooks/viber/${viber.id}`, viberHeaders(viberToken, vbBody), vbBody);
  expect('viber webhook status', vbRes.status, 200);
  const [tgChat] = stack.d1(`SELECT id, contact_id FROM chats WHERE integration_id = '${telegram.id}' AND external_chat_id = '${tgUserId}'`);
  const [vbChat] = stack.d1(`SELECT id FROM chats WHERE integration_id = '${viber.id}' AND external_chat_id = 'hostile${tgUserId}AAAAAAAA=='`);
  if (!tgChat || !vbChat) problems.push('the hostile clients got no chat');
  else {
    const card = await api.get(admin, `/api/chats/${tgChat.id}`);
    expect('contact name via API', card.contact?.name, `${sqlish} ${htmlish}`);
    const tl = await api.get(admin, `/api/chats/${tgChat.id}/timeline?limit=50`);
    expect('telegram text via timeline', tl.items.find((i) => i.kind === 'message' && i.direction === 'in')?.text, both);
    const vtl = await api.get(admin, `/api/chats/${vbChat.id}/timeline?limit=50`);
    expect('viber text via timeline', vtl.items.find((i) => i.kind === 'message' && i.direction === 'in')?.text, both);
    // Manager side: reply, comment, tags; admin side: a user's name, a funnel.
    const reply = await api.raw(ana, 'POST', `/api/chats/${tgChat.id}/messages`, { text: both });
    expect('reply status', reply.status, 202);
    expect('reply text echoed', reply.data?.text, both);
    const comment = await api.raw(ana, 'POST', `/api/chats/${tgChat.id}/comments`, { text: both });
    if (comment.status >= 300) problems.push(`comment → ${comment.status}`);
    const tags = await api.raw(ana, 'PUT', `/api/chats/${tgChat.id}/tags`, { tags: [sqlish.slice(0, 40), htmlish.slice(0, 40)] });
    if (tags.status >= 300) problems.push(`tags → ${tags.status} ${JSON.stringify(tags.data).slice(0, 120)}`);
    const search = await api.raw(ana, 'GET', `/api/chats/${tgChat.id}/search?q=${encodeURIComponent('DROP TABLE')}`);
    const hit = search.data?.items?.[0];
    if (search.status !== 200 || !hit) problems.push(`history search for the SQL text → ${search.status}, ${search.data?.items?.length ?? 0} hits`);
    else if (hit.snippet && /<script|<img/i.test(hit.snippet)) problems.push(`search snippet carries raw HTML: ${hit.snippet.slice(0, 80)}`);
    const archive = await api.raw(admin, 'GET', `/api/chats/archive?q=${encodeURIComponent(`'; DROP TABLE chats; --`)}`);
    if (archive.status !== 200) problems.push(`archive q with SQL → ${archive.status}`);
  }
  const user = await api.raw(admin, 'POST', '/api/users', { email: `hostile${tgUserId}@test.ponte`, name: both.slice(0, 100), role: 'employee', password: 'long-enough-1' });
  expect('user with hostile name', user.status, 201);
  if (user.status === 201) expect('user name echoed', user.data.name, both.slice(0, 100));
  const after = tableCounts(stack);
  const [tables] = stack.d1(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('chats', 'messages', 'contacts', 'users')`);
  if (tables.n !== 4) problems.push('a table is gone');
  ledger.check('hostile text (SQL/HTML in every text field): stored and returned verbatim, escaped in snippets, tables intact', problems.length === 0,
    problems.length ? problems.join('; ') : `grew as expected: ${diffCounts(before, after) || 'no change'}`);
}

function errorCode(text) {
  try {
    return JSON.parse(text)?.error?.code ?? null;
  } catch {
    return null;
  }
}
