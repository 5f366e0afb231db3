// Protocol checks of the fakes, with plain fetch and a throwaway webhook. Run: node --test tools/fakes/
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { startFakes } from './server.mjs';

const TG = '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ';
const VB = '4f2a9c1e7b3d5a60-91c4e8b2d7f0a3c5-0e6b1d9f4a2c8e73';
const MARIA = 'pYq3V2xKc0Gm7tWbE1uLrA==';
let fakes;
let hook;
let hookUrl;
let hookStatus = 200;
const hits = [];

before(async () => {
  fakes = await startFakes({ port: 0, retryDelaysMs: [20, 20], viberReceipts: { delayMs: 20, devices: 2 } });
  hook = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    hits.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(hookStatus).end();
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${hook.address().port}`;
  fakes.control.registerBot({ channel: 'telegram', token: TG, name: 'Loja Exemplo' });
  fakes.control.registerBot({ channel: 'viber', token: VB, name: 'Loja Exemplo' });
});
after(async () => {
  await fakes.close();
  hook.close();
});

const tg = (method, params) => fetch(`${fakes.url}/bot${TG}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params ?? {}) });
const vb = (method, body) => fetch(`${fakes.url}/pa/${method}`, { method: 'POST', headers: { 'x-viber-auth-token': VB }, body: JSON.stringify(body ?? {}) });

test('telegram: unknown token is 401, bad secret is 400', async () => {
  const res = await fetch(`${fakes.url}/botnope/getMe`);
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), { ok: false, error_code: 401, description: 'Unauthorized' });
  const bad = await tg('setWebhook', { url: `${hookUrl}/tg`, secret_token: 'a/b=' });
  assert.equal((await bad.json()).description, 'Bad Request: secret token contains unallowed characters');
});

test('telegram: updates carry the secret, increasing ids, and are retried on non-2xx', async () => {
  await tg('setWebhook', { url: `${hookUrl}/tg`, secret_token: 'abc_123-XYZ' });
  const user = { id: 5123456789, first_name: 'Ana' };
  const first = await fakes.control.telegramSend({ token: TG, user, text: '/start' });
  hookStatus = 500;
  const failed = await fakes.control.telegramSend({ token: TG, user, text: 'again' });
  hookStatus = 200;
  assert.equal(hits.at(-1).headers['x-telegram-bot-api-secret-token'], 'abc_123-XYZ');
  assert.deepEqual(first.update.message.entities, [{ offset: 0, length: 6, type: 'bot_command' }]);
  assert.equal(failed.update.update_id, first.update.update_id + 1);
  assert.deepEqual([failed.webhook.status, failed.webhook.attempts], [500, 3]);
  const info = await (await tg('getWebhookInfo')).json();
  assert.match(info.result.last_error_message, /^Wrong response from the webhook: 500/);
  assert.equal(info.result.secret_token, undefined);
});

test('telegram: sendMessage validates and scripted failures apply once', async () => {
  assert.equal((await tg('sendMessage', { chat_id: 5123456789, text: 'x'.repeat(4097) })).status, 400);
  assert.equal((await tg('sendMessage', { chat_id: 42, text: 'hi' })).status, 400);
  fakes.control.fail({ channel: 'telegram', mode: '429', count: 1, retryAfter: 4 });
  const limited = await tg('sendMessage', { chat_id: 5123456789, text: 'hi' });
  assert.equal(limited.status, 429);
  assert.equal((await limited.json()).parameters.retry_after, 4);
  const sent = await (await tg('sendMessage', { chat_id: 5123456789, text: 'hi' })).json();
  assert.equal(sent.ok, true);
  assert.equal(fakes.control.sent(TG).conversations['5123456789'].at(-1).text, 'hi');
});

test('telegram: meet lets the bot write to a client who never wrote, and sends no update', async () => {
  const before = hits.length;
  assert.equal((await tg('sendMessage', { chat_id: 6100000001, text: 'hi' })).status, 400);
  await fakes.control.telegramMeet({ token: TG, user: { id: 6100000001 } });
  assert.equal(hits.length, before);
  assert.equal((await (await tg('sendMessage', { chat_id: 6100000001, text: 'hi' })).json()).ok, true);
  await fakes.control.telegramBlock({ token: TG, user: { id: 6100000002 } });
  await fakes.control.telegramMeet({ token: TG, user: { id: 6100000002 } });
  assert.equal((await tg('sendMessage', { chat_id: 6100000002, text: 'hi' })).status, 403);
});

test('viber: set_webhook checks the URL with a signed callback; tokens are bare 64-bit numbers', async () => {
  const res = await (await vb('set_webhook', { url: `${hookUrl}/vb`, event_types: ['delivered', 'seen'] })).json();
  assert.equal(res.status, 0);
  const check = hits.at(-1);
  assert.match(check.body, /^\{"event":"webhook",.*"message_token":\d{19}\}$/);
  assert.equal(check.headers['x-viber-content-signature'], createHmac('sha256', VB).update(check.body).digest('hex'));
});

test('viber: subscription state drives send_message status; receipts follow a send', async () => {
  const send = () => vb('send_message', { receiver: MARIA, type: 'text', text: 'Olá', sender: { name: 'Loja Exemplo' } });
  assert.equal((await (await send()).json()).status, 5);
  await fakes.control.viberOpen({ token: VB, user: { id: MARIA, name: 'Maria' } }); // not in event_types: not sent, but state is
  await fakes.control.viberSend({ token: VB, user: { id: MARIA, name: 'Maria' }, text: 'Bom dia' });
  const text = await (await send()).text();
  const token = /"message_token":(\d+)/.exec(text)[1];
  assert.match(text, /^\{"status":0,"status_message":"ok","message_token":\d{19},/);
  await new Promise((r) => setTimeout(r, 300));
  const receipts = hits.filter((h) => h.body.includes(`"message_token":${token}`)).map((h) => JSON.parse(h.body).event);
  assert.deepEqual(receipts, ['delivered', 'delivered', 'seen']);
  await fakes.control.viberUnsubscribe({ token: VB, user: { id: MARIA } });
  assert.equal((await (await send()).json()).status, 6);
  const long = await vb('send_message', { receiver: MARIA, type: 'text', text: 'x', sender: { name: 'x'.repeat(29) } });
  assert.equal((await long.json()).status, 3);
});

test('viber: duplicate delivers the same bytes twice', async () => {
  const before = hits.length;
  const r = await fakes.control.viberSend({ token: VB, user: { id: MARIA }, text: 'dup', duplicate: true });
  assert.equal(hits.length, before + 2);
  assert.equal(hits.at(-1).body, hits.at(-2).body);
  assert.equal(hits.at(-1).body, r.body);
});

test('telegram: inline buttons → a callback_query on press, answered once; edits and deletes of the bot message', async () => {
  const user = { id: 5123456789, first_name: 'Ana' };
  const keyboard = { inline_keyboard: [['1', '2', '3', '4', '5'].map((n) => ({ text: n, callback_data: `csat:${n}` }))] };
  const sent = await (await tg('sendMessage', { chat_id: user.id, text: 'Como avalia?', reply_markup: keyboard })).json();
  assert.deepEqual(sent.result.reply_markup, keyboard);
  const pressed = await fakes.control.telegramPress({ token: TG, user, messageId: sent.result.message_id, data: 'csat:4' });
  const query = pressed.update.callback_query;
  assert.equal(query.data, 'csat:4');
  assert.equal(query.message.message_id, sent.result.message_id);
  assert.deepEqual(query.message.reply_markup, keyboard);
  assert.equal(JSON.parse(hits.at(-1).body).callback_query.id, query.id);
  assert.equal((await (await tg('answerCallbackQuery', { callback_query_id: query.id, text: 'Obrigado!' })).json()).ok, true);
  const again = await (await tg('answerCallbackQuery', { callback_query_id: query.id })).json();
  assert.match(again.description, /query is too old/);
  assert.equal(fakes.control.sent(TG).conversations['5123456789'].at(-1).answer, 'Obrigado!');
  await assert.rejects(fakes.control.telegramPress({ token: TG, user, messageId: sent.result.message_id, data: 'csat:9' }), /no such button/);

  const edited = await (await tg('editMessageText', { chat_id: user.id, message_id: sent.result.message_id, text: 'Novo texto' })).json();
  assert.equal(edited.result.text, 'Novo texto');
  const same = await (await tg('editMessageText', { chat_id: user.id, message_id: sent.result.message_id, text: 'Novo texto' })).json();
  assert.match(same.description, /message is not modified/);
  assert.equal((await (await tg('deleteMessage', { chat_id: user.id, message_id: sent.result.message_id })).json()).result, true);
  const gone = await (await tg('deleteMessage', { chat_id: user.id, message_id: sent.result.message_id })).json();
  assert.equal(gone.description, 'Bad Request: message to delete not found');
  assert.match((await (await tg('editMessageText', { chat_id: user.id, message_id: 99999, text: 'x' })).json()).description, /message to edit not found/);
});

test('viber: a keyboard reply sends the ActionBody as text with the tracking_data echoed', async () => {
  await fakes.control.viberSend({ token: VB, user: { id: MARIA, name: 'Maria' }, text: 'Olá' });
  const keyboard = { Type: 'keyboard', Buttons: ['1', '2', '3', '4', '5'].map((n) => ({ Columns: 1, Rows: 1, ActionType: 'reply', ActionBody: n, Text: n })) };
  const res = await (await vb('send_message', { receiver: MARIA, type: 'text', text: 'Como avalia?', sender: { name: 'Loja' }, keyboard, tracking_data: 'choice:csat:1,2,3,4,5' })).json();
  assert.equal(res.status, 0);
  const pressed = await fakes.control.viberPress({ token: VB, user: { id: MARIA, name: 'Maria' }, data: '4' });
  const body = JSON.parse(pressed.body);
  assert.equal(body.event, 'message');
  assert.deepEqual(body.message, { text: '4', type: 'text', tracking_data: 'choice:csat:1,2,3,4,5' });
  await assert.rejects(fakes.control.viberPress({ token: VB, user: { id: MARIA }, data: '9' }), /no such button/);
});
