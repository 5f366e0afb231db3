import { describe, expect, it } from 'vitest';
import { telegramAdapter } from '../../../worker/messengers/telegram';
import tooLong from '../../fixtures/responses/telegram-error-400-too-long.json?raw';
import chatNotFound from '../../fixtures/responses/telegram-error-400-chat-not-found.json?raw';
import unauthorized from '../../fixtures/responses/telegram-error-401.json?raw';
import blocked from '../../fixtures/responses/telegram-error-403-blocked.json?raw';
import tooMany from '../../fixtures/responses/telegram-error-429.json?raw';
import deleteOk from '../../fixtures/responses/telegram-deleteWebhook-ok.json?raw';
import getFileOk from '../../fixtures/responses/telegram-getFile-ok.json?raw';
import getMeOk from '../../fixtures/responses/telegram-getMe-ok.json?raw';
import sendOk from '../../fixtures/responses/telegram-sendMessage-ok.json?raw';
import setWebhookOk from '../../fixtures/responses/telegram-setWebhook-ok.json?raw';
import { jsonResponse, scriptedFetch } from './fake-fetch';

const TOKEN = '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ';
const BASE = 'http://fake.test';
const to = { externalChatId: '5123456789', botName: 'Loja Exemplo' };
const text = { kind: 'text', text: 'Olá Ana!' } as const;

function ctxWith(...replies: Parameters<typeof scriptedFetch>) {
  const scripted = scriptedFetch(...replies);
  return { ctx: { apiBase: BASE, token: TOKEN, fetch: scripted.fetch }, calls: scripted.calls };
}

describe('telegram send', () => {
  it('posts sendMessage as JSON and returns the message_id', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(sendOk));
    expect(await telegramAdapter.send(ctx, to, text)).toEqual({ ok: true, externalMessageId: '4' });
    expect(calls[0]!.url).toBe(`${BASE}/bot${TOKEN}/sendMessage`);
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(calls[0]!.body)).toEqual({ chat_id: 5123456789, text: 'Olá Ana!' });
  });

  it('sends photos and documents by URL with a caption', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(sendOk), jsonResponse(sendOk));
    const media = { kind: 'media', url: 'https://m.test/a.jpg', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10 } as const;
    await telegramAdapter.send(ctx, to, { ...media, mediaKind: 'photo', caption: 'Etiqueta' });
    await telegramAdapter.send(ctx, to, { ...media, mediaKind: 'document' });
    expect(calls[0]!.url.endsWith('/sendPhoto')).toBe(true);
    expect(JSON.parse(calls[0]!.body)).toEqual({ chat_id: 5123456789, photo: 'https://m.test/a.jpg', caption: 'Etiqueta' });
    expect(calls[1]!.url.endsWith('/sendDocument')).toBe(true);
    expect(JSON.parse(calls[1]!.body)).toEqual({ chat_id: 5123456789, document: 'https://m.test/a.jpg' });
  });

  it.each([
    ['429 → retryable after retry_after', tooMany, 429, { ok: false, retryable: true, retryAfterSeconds: 7, reason: 'Telegram rate limit: retry after 7 s' }],
    ['403 blocked → recipient gone', blocked, 403, { ok: false, retryable: false, recipientGone: true, reason: 'The client blocked the bot' }],
    ['400 chat not found → permanent', chatNotFound, 400, { ok: false, retryable: false, reason: 'The chat was not found on Telegram' }],
    ['400 too long → permanent', tooLong, 400, { ok: false, retryable: false, reason: 'The message is too long for Telegram' }],
    ['401 → bot token rejected', unauthorized, 401, { ok: false, retryable: false, reason: 'Bot token rejected by Telegram (401 Unauthorized)' }],
  ])('%s', async (_, body, status, expected) => {
    const { ctx } = ctxWith(jsonResponse(body, status));
    expect(await telegramAdapter.send(ctx, to, text)).toEqual(expected);
  });

  it.each([
    ['Forbidden: user is deactivated', 'The client deleted their Telegram account'],
    ["Forbidden: bot can't initiate conversation with a user", 'The client has not started a conversation with the bot yet'],
  ])('403 %s → recipient gone', async (description, reason) => {
    const { ctx } = ctxWith(jsonResponse(JSON.stringify({ ok: false, error_code: 403, description }), 403));
    expect(await telegramAdapter.send(ctx, to, text)).toEqual({ ok: false, retryable: false, recipientGone: true, reason });
  });

  it('5xx, a network error and a timeout are retryable', async () => {
    const timeout = new DOMException('The operation timed out.', 'TimeoutError');
    const { ctx } = ctxWith(new Response('<html>Bad Gateway</html>', { status: 502 }), new TypeError('fetch failed'), timeout);
    expect(await telegramAdapter.send(ctx, to, text)).toEqual({ ok: false, retryable: true, reason: 'Telegram server error (502)' });
    expect(await telegramAdapter.send(ctx, to, text)).toEqual({ ok: false, retryable: true, reason: 'Could not reach Telegram (fetch failed)' });
    expect(await telegramAdapter.send(ctx, to, text)).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('no answer within') });
  });
});

describe('telegram setup and media', () => {
  it('getBot reads getMe', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(getMeOk));
    expect(await telegramAdapter.getBot(ctx)).toEqual({
      ok: true,
      bot: { name: 'Loja Exemplo', externalBotId: '7012345678', username: 'LojaExemploBot' },
    });
    expect(calls[0]!.url).toBe(`${BASE}/bot${TOKEN}/getMe`);
  });

  it('getBot with a bad token', async () => {
    const { ctx } = ctxWith(jsonResponse(unauthorized, 401));
    expect(await telegramAdapter.getBot(ctx)).toEqual({ ok: false, reason: 'Telegram rejected the bot token' });
  });

  it('registerWebhook sets url, secret and allowed_updates; unregister deletes', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(setWebhookOk), jsonResponse(deleteOk));
    expect(await telegramAdapter.registerWebhook(ctx, 'https://inbox.test/webhooks/telegram/ch1', 'ab12')).toEqual({ ok: true });
    expect(JSON.parse(calls[0]!.body)).toEqual({
      url: 'https://inbox.test/webhooks/telegram/ch1',
      secret_token: 'ab12',
      allowed_updates: ['message', 'edited_message', 'my_chat_member', 'callback_query'],
    });
    expect(await telegramAdapter.unregisterWebhook(ctx)).toEqual({ ok: true });
    expect(calls[1]!.url).toBe(`${BASE}/bot${TOKEN}/deleteWebhook`);
  });

  it('registerWebhook reports a refused secret', async () => {
    const refusal = '{"ok":false,"error_code":400,"description":"Bad Request: secret token contains unallowed characters"}';
    const { ctx } = ctxWith(jsonResponse(refusal, 400));
    expect(await telegramAdapter.registerWebhook(ctx, 'https://x.test', 'a+b')).toEqual({
      ok: false,
      reason: 'Telegram: Bad Request: secret token contains unallowed characters',
    });
  });

  it('fetchMedia resolves getFile then downloads the bytes', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff]);
    const { ctx, calls } = ctxWith(jsonResponse(getFileOk), new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
    const got = await telegramAdapter.fetchMedia(ctx, { kind: 'photo', ref: 'AgAC' });
    expect(JSON.parse(calls[0]!.body)).toEqual({ file_id: 'AgAC' });
    expect(calls[1]!.url).toBe(`${BASE}/file/bot${TOKEN}/photos/file_3.jpg`);
    expect(got.ok && [...new Uint8Array(await new Response(got.body).arrayBuffer())]).toEqual([0xff, 0xd8, 0xff]);
    expect(got).toMatchObject({ ok: true, fileName: 'file_3.jpg', mimeType: 'image/jpeg' });
  });

  it('fetchMedia reports a retryable failure when getFile or the download fails', async () => {
    const invalid = '{"ok":false,"error_code":400,"description":"Bad Request: invalid file id"}';
    const first = ctxWith(jsonResponse(invalid, 400));
    expect(await telegramAdapter.fetchMedia(first.ctx, { kind: 'photo', ref: 'x' })).toMatchObject({ ok: false, retryable: true });
    const second = ctxWith(jsonResponse(getFileOk), new Response('gone', { status: 404 }));
    expect(await telegramAdapter.fetchMedia(second.ctx, { kind: 'photo', ref: 'x' })).toEqual({ ok: false, retryable: true, reason: 'The messenger answered HTTP 404' });
  });

  it('fetchMedia does not download a file getFile says is over the cap', async () => {
    const big = `{"ok":true,"result":{"file_id":"x","file_unique_id":"u","file_size":${20 * 1024 * 1024 + 1},"file_path":"documents/file_9.zip"}}`;
    const { ctx, calls } = ctxWith(jsonResponse(big));
    expect(await telegramAdapter.fetchMedia(ctx, { kind: 'document', ref: 'x' })).toEqual({ ok: false, retryable: false, reason: 'The file is larger than 20 MiB' });
    expect(calls).toHaveLength(1);
  });
});
