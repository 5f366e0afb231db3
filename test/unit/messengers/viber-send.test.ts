import { describe, expect, it } from 'vitest';
import { clipSenderName, viberAdapter } from '../../../worker/messengers/viber';
import accountOk from '../../fixtures/responses/viber-get_account_info-ok.json?raw';
import notSubscribed from '../../fixtures/responses/viber-send_message-not-subscribed.json?raw';
import sendOk from '../../fixtures/responses/viber-send_message-ok.json?raw';
import tooMany from '../../fixtures/responses/viber-send_message-too-many.json?raw';
import setWebhookOk from '../../fixtures/responses/viber-set_webhook-ok.json?raw';
import { jsonResponse, scriptedFetch } from './fake-fetch';

const TOKEN = '4f2a9c1e7b3d5a60-91c4e8b2d7f0a3c5-0e6b1d9f4a2c8e73';
const BASE = 'http://fake.test';
const MARIA = 'pYq3V2xKc0Gm7tWbE1uLrA==';
const to = { externalChatId: MARIA, botName: 'Loja Exemplo' };
const text = { kind: 'text', text: 'Bom dia Maria!' } as const;

function ctxWith(...replies: Parameters<typeof scriptedFetch>) {
  const scripted = scriptedFetch(...replies);
  return { ctx: { apiBase: BASE, token: TOKEN, fetch: scripted.fetch }, calls: scripted.calls };
}

const status = (code: number, message: string) => jsonResponse(`{"status":${code},"status_message":"${message}","chat_hostname":"SN-CHAT-05_"}`);

describe('viber send', () => {
  it('posts send_message with the auth header and keeps the 64-bit token exact', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(sendOk));
    expect(await viberAdapter.send(ctx, to, text)).toEqual({ ok: true, externalMessageId: '5916838249301581826' });
    expect(calls[0]!.url).toBe(`${BASE}/pa/send_message`);
    expect(calls[0]!.headers.get('x-viber-auth-token')).toBe(TOKEN);
    expect(JSON.parse(calls[0]!.body)).toEqual({ receiver: MARIA, type: 'text', text: 'Bom dia Maria!', sender: { name: 'Loja Exemplo' } });
  });

  it('sends pictures and files, and clips the sender name to 28', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(sendOk), jsonResponse(sendOk));
    const media = { kind: 'media', url: 'https://m.test/a.jpg', fileName: 'fatura.pdf', mimeType: 'application/pdf', size: 48213 } as const;
    const longName = { ...to, botName: 'Loja Exemplo de Roupa e Calçado Lda' };
    await viberAdapter.send(ctx, longName, { ...media, mediaKind: 'photo', caption: 'Etiqueta' });
    await viberAdapter.send(ctx, to, { ...media, mediaKind: 'document' });
    expect(JSON.parse(calls[0]!.body)).toEqual({
      receiver: MARIA,
      type: 'picture',
      media: 'https://m.test/a.jpg',
      text: 'Etiqueta',
      sender: { name: 'Loja Exemplo de Roupa e Calç' },
    });
    expect(JSON.parse(calls[1]!.body)).toEqual({
      receiver: MARIA,
      type: 'file',
      media: 'https://m.test/a.jpg',
      size: 48213,
      file_name: 'fatura.pdf',
      sender: { name: 'Loja Exemplo' },
    });
  });

  it.each([
    ['12 too many → retryable', jsonResponse(tooMany), { ok: false, retryable: true, reason: 'Viber rate limit: too many messages to this client without a reply' }],
    ['6 not subscribed → recipient gone', jsonResponse(notSubscribed), { ok: false, retryable: false, recipientGone: true, reason: 'The client is not subscribed to the bot (unsubscribed, or never wrote)' }],
    ['5 not registered → recipient gone', status(5, 'receiverNotRegistered'), { ok: false, retryable: false, recipientGone: true, reason: 'The client is not registered on Viber' }],
    ['7 blocked → recipient gone', status(7, 'publicAccountBlocked'), { ok: false, retryable: false, recipientGone: true, reason: 'The client blocked the bot' }],
    ['2 bad token → permanent', status(2, 'invalidAuthToken'), { ok: false, retryable: false, reason: 'Auth token rejected by Viber' }],
    ['other → permanent with status_message', status(3, 'badData'), { ok: false, retryable: false, reason: 'Viber refused the message: badData (status 3)' }],
    ['HTTP 503 → retryable', new Response('busy', { status: 503 }), { ok: false, retryable: true, reason: 'Viber answered with HTTP 503' }],
    ['network error → retryable', new TypeError('fetch failed'), { ok: false, retryable: true, reason: 'Could not reach Viber (fetch failed)' }],
  ])('%s', async (_, reply, expected) => {
    const { ctx } = ctxWith(reply);
    expect(await viberAdapter.send(ctx, to, text)).toEqual(expected);
  });
});

describe('viber setup, media and welcome', () => {
  it('getBot reads get_account_info', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(accountOk));
    expect(await viberAdapter.getBot(ctx)).toEqual({
      ok: true,
      bot: { name: 'Loja Exemplo', externalBotId: 'pa:5925429953186752236', username: 'lojaexemplo' },
    });
    expect(calls[0]!.url).toBe(`${BASE}/pa/get_account_info`);
    expect(calls[0]!.body).toBe('{}');
    expect(calls[0]!.headers.get('x-viber-auth-token')).toBe(TOKEN);
  });

  it('getBot with a bad token', async () => {
    const { ctx } = ctxWith(status(2, 'invalidAuthToken'));
    expect(await viberAdapter.getBot(ctx)).toEqual({ ok: false, reason: 'Viber rejected the auth token' });
  });

  it('registerWebhook asks for the receipts and names; unregister clears the url', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(setWebhookOk), jsonResponse(setWebhookOk), status(1, 'invalidUrl'));
    expect(await viberAdapter.registerWebhook(ctx, 'https://inbox.test/webhooks/viber/ch2', 'unused')).toEqual({ ok: true });
    expect(JSON.parse(calls[0]!.body)).toEqual({
      url: 'https://inbox.test/webhooks/viber/ch2',
      event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'],
      send_name: true,
      send_photo: true,
    });
    expect(await viberAdapter.unregisterWebhook(ctx)).toEqual({ ok: true });
    expect(JSON.parse(calls[1]!.body)).toEqual({ url: '' });
    expect(await viberAdapter.registerWebhook(ctx, 'https://down.test', 'unused')).toEqual({ ok: false, reason: 'Viber: invalidUrl (status 1)' });
  });

  it('fetchMedia streams the URL from an allowed media host; a refusal is retryable', async () => {
    const { ctx: base, calls } = ctxWith(new Response('PNG', { headers: { 'content-type': 'image/png' } }), new Response('', { status: 403 }));
    const ctx = { ...base, media: { hosts: ['*.dl.test'] } };
    const got = await viberAdapter.fetchMedia(ctx, { kind: 'photo', ref: 'https://media.dl.test/5/x.png?Expires=1' });
    expect(calls[0]!.url).toBe('https://media.dl.test/5/x.png?Expires=1');
    expect(got).toMatchObject({ ok: true, fileName: 'x.png', mimeType: 'image/png' });
    expect(got.ok && (await new Response(got.body).text())).toBe('PNG');
    expect(await viberAdapter.fetchMedia(ctx, { kind: 'photo', ref: 'https://media.dl.test/expired.png' })).toEqual({ ok: false, retryable: true, reason: 'The messenger answered HTTP 403' });
  });

  it('fetchMedia refuses URLs outside the media hosts without fetching them', async () => {
    const { ctx: base, calls } = ctxWith();
    const ctx = { ...base, media: { hosts: ['dl.test'] } };
    for (const ref of ['http://169.254.169.254/latest/meta-data', 'https://dl.test.evil.example/x.png', 'file:///etc/passwd', 'not a url']) {
      expect(await viberAdapter.fetchMedia(ctx, { kind: 'photo', ref })).toMatchObject({ ok: false, retryable: false });
    }
    expect(calls).toEqual([]);
  });

  it('answers conversation_started with the welcome message', () => {
    const sender = { externalId: MARIA, externalChatId: MARIA, name: 'Maria' };
    const opened = [{ type: 'conversation_started', sender, subscribed: false, sentAt: 1 }] as const;
    const greeting = { text: 'Olá! Bem-vindo.', botName: 'Loja Exemplo de Roupa e Calçado Lda' };
    expect(viberAdapter.webhookResponse([...opened], greeting)).toEqual({
      type: 'text',
      text: 'Olá! Bem-vindo.',
      sender: { name: 'Loja Exemplo de Roupa e Calç' },
      tracking_data: 'welcome',
    });
    expect(viberAdapter.webhookResponse([...opened], null)).toBeNull();
    expect(viberAdapter.webhookResponse([{ type: 'subscribed', sender, sentAt: 1 }], greeting)).toBeNull();
  });

  it('clipSenderName never leaves half an emoji', () => {
    expect(clipSenderName(`${'a'.repeat(27)}😀`)).toBe('a'.repeat(27));
    expect(clipSenderName('Loja')).toBe('Loja');
  });
});
