/**
 * An in-test stand-in for the Telegram Bot API (http://telegram.test) and the Viber REST API
 * (http://viber.test), speaking their real envelopes. Used as an injected `fetch`, or installed as the
 * global fetch for code paths that run inside the Worker (routes, the queue consumer). It records every
 * call and can be told to fail the next sends. Anything else is passed to the real Worker, so a fake
 * can call our webhook back (Viber set_webhook) or download our signed media URLs.
 */
import { exports } from 'cloudflare:workers';
import { vi } from 'vitest';

export const TELEGRAM_TOKEN = '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ';
/** The token the Viber signatures in docs/viber.md §4.5 were computed with. */
export const VIBER_TOKEN = '4f2a9c1e7b3d5a60-91c4e8b2d7f0a3c5-0e6b1d9f4a2c8e73';

export interface FakeCall {
  api: 'telegram' | 'viber' | 'telegram-file' | 'worker';
  url: string;
  method: string;
  token: string | null;
  headers: Headers;
  /** Parsed JSON body ({} when none). */
  params: Record<string, unknown>;
}

export interface MessengerFake {
  fetch: typeof fetch;
  calls: FakeCall[];
  /**
   * The next calls of `method` answer with these replies instead, in order. Replies are built when the
   * call happens: workerd forbids reading a body created in another request's context (the queue consumer).
   */
  failNext(method: string, ...replies: Reply[]): void;
  /** Calls of one API method (sendMessage, send_message, ...). */
  sent(method: string): FakeCall[];
  /** Bytes served for Telegram file downloads and Viber media URLs (`failNext('media', …)` to script them). */
  fileBytes: Uint8Array;
  /** Hook run during Viber set_webhook with the URL (the real Viber calls it synchronously). */
  onViberSetWebhook?: (url: string) => Promise<Response | void>;
  /** Sets the fake as the global fetch for this test (restored by vi.restoreAllMocks). */
  install(): MessengerFake;
}

/** A scripted answer; `normal` builds the answer the fake would have given (for a late success). */
export type Reply = (normal: () => Response | Promise<Response>) => Response | Promise<Response>;

export const json = (body: unknown, status = 200) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export const telegramError = (code: number, description: string, retryAfter?: number) => (): Response =>
  json({ ok: false, error_code: code, description, ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}) }, code);

// Module-wide, like the real APIs: ids stay unique across the fakes of one test file.
let telegramMessageId = 100;
let viberToken = 5916838249301581826n;

export function messengerFake(): MessengerFake {
  const calls: FakeCall[] = [];
  const failures = new Map<string, Reply[]>();

  const fake: MessengerFake = {
    calls,
    fileBytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]),
    failNext(method, ...replies) {
      failures.set(method, [...(failures.get(method) ?? []), ...replies]);
    },
    sent: (method) => calls.filter((c) => c.url.endsWith(`/${method}`)),
    install() {
      vi.spyOn(globalThis, 'fetch').mockImplementation(fake.fetch);
      return fake;
    },
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      const text = req.method === 'GET' ? '' : await req.text();
      let params: Record<string, unknown> = {};
      try {
        params = text ? JSON.parse(text) : {};
      } catch {
        params = { raw: text };
      }
      if (url.host === 'telegram.test') {
        const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
        if (file) {
          calls.push({ api: 'telegram-file', url: req.url, method: req.method, token: file[1], headers: req.headers, params });
          return mediaReply();
        }
        const [, token, method] = /^\/bot([^/]+)\/([^/]+)$/.exec(url.pathname) ?? [];
        calls.push({ api: 'telegram', url: req.url, method: req.method, token: token ?? null, headers: req.headers, params });
        const scripted = failures.get(method)?.shift();
        if (scripted) return scripted(() => telegram(method, params));
        if (token !== TELEGRAM_TOKEN) return telegramError(401, 'Unauthorized')();
        return telegram(method, params);
      }
      if (url.host === 'viber.test') {
        const method = url.pathname.replace('/pa/', '');
        calls.push({ api: 'viber', url: req.url, method: req.method, token: req.headers.get('x-viber-auth-token'), headers: req.headers, params });
        const scripted = failures.get(method)?.shift();
        if (scripted) return scripted(() => viber(method, params));
        if (req.headers.get('x-viber-auth-token') !== VIBER_TOKEN) return json({ status: 2, status_message: 'invalidAuthToken' });
        return viber(method, params);
      }
      if (url.host === 'dl-media.viber.com') {
        calls.push({ api: 'viber', url: req.url, method: req.method, token: null, headers: req.headers, params });
        return mediaReply();
      }
      calls.push({ api: 'worker', url: req.url, method: req.method, token: null, headers: req.headers, params });
      // Our own Worker (webhook callbacks, signed media URLs); never the real network.
      if (url.host === 'ponte.test') return exports.default.fetch(new Request(req.url, { method: req.method, headers: req.headers, body: text || undefined }));
      throw new TypeError(`fake messenger: unexpected request to ${req.url}`);
    }) as typeof fetch,
  };

  /** A file download: `fileBytes`, unless a test scripted `failNext('media', …)`. */
  function mediaReply(): Response | Promise<Response> {
    const normal = () => new Response(fake.fileBytes, { headers: { 'content-type': 'image/jpeg' } });
    const scripted = failures.get('media')?.shift();
    return scripted ? scripted(normal) : normal();
  }

  function telegram(method: string, p: Record<string, unknown>): Response {
    const bot = { id: 7012345678, is_bot: true, first_name: 'Loja Exemplo', username: 'LojaExemploBot' };
    switch (method) {
      case 'getMe':
        return json({ ok: true, result: { ...bot, can_join_groups: true } });
      case 'setWebhook':
        return json({ ok: true, result: true, description: 'Webhook was set' });
      case 'deleteWebhook':
        return json({ ok: true, result: true, description: 'Webhook was deleted' });
      case 'getFile':
        return json({ ok: true, result: { file_id: p.file_id, file_unique_id: 'AQADeMIxG6tkYVF-', file_size: 8, file_path: 'photos/file_3.jpg' } });
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
        return json({ ok: true, result: { message_id: ++telegramMessageId, from: bot, chat: { id: p.chat_id, type: 'private' }, date: 1754042700, text: p.text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) } });
      case 'editMessageText':
        return json({ ok: true, result: { message_id: p.message_id, from: bot, chat: { id: p.chat_id, type: 'private' }, date: 1754042700, edit_date: 1754042760, text: p.text } });
      case 'deleteMessage':
      case 'answerCallbackQuery':
        return json({ ok: true, result: true });
      default:
        return telegramError(404, 'Not Found')();
    }
  }

  function viber(method: string, p: Record<string, unknown>): Response | Promise<Response> {
    switch (method) {
      case 'get_account_info':
        return json({ status: 0, status_message: 'ok', id: 'pa:5925429953186752236', name: 'Loja Exemplo', uri: 'lojaexemplo' });
      case 'set_webhook':
        return viberSetWebhook(String(p.url ?? ''));
      case 'send_message': {
        // A bare 64-bit number, as Viber sends it: JSON.parse would round it.
        const token = (viberToken++).toString();
        return json(`{"status":0,"status_message":"ok","message_token":${token},"chat_hostname":"SN-CHAT-05_","billing_status":1}`);
      }
      default:
        return json({ status: 1, status_message: 'invalidUrl' });
    }
  }

  function viberSetWebhook(url: string): Response | Promise<Response> {
    const ok = json({ status: 0, status_message: 'ok', event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'] });
    if (!url || !fake.onViberSetWebhook) return ok;
    return fake.onViberSetWebhook(url).then((r) => r ?? ok);
  }

  return fake;
}

/**
 * A file body of `size` bytes sent in 64 KiB chunks, made as it is read; `pulled()` says how much was
 * read (to see that a reader stopped early). `declare` sends Content-Length; `stallAfter` stops sending
 * (the response never ends) once that many bytes went out.
 */
export function streamedFile(size: number, opts: { declare?: boolean; stallAfter?: number } = {}) {
  const CHUNK = 64 * 1024;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (opts.stallAfter !== undefined && sent >= opts.stallAfter) return new Promise<void>(() => {});
      if (sent >= size) return controller.close();
      const n = Math.min(CHUNK, size - sent);
      controller.enqueue(new Uint8Array(n).fill(sent % 251));
      sent += n;
    },
  }, { highWaterMark: 0 });
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (opts.declare) headers['content-length'] = String(size);
  return { reply: (): Response => new Response(body, { headers }), pulled: () => sent };
}
