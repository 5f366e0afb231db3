/**
 * Issue 16's messenger calls against real-shaped payloads (test/fixtures): rating buttons (Telegram
 * inline keyboard → callback_query → answerCallbackQuery; Viber keyboard → reply with tracking_data),
 * and changes to a sent reply (editMessageText, deleteMessage) with the errors Telegram answers.
 */
import { describe, expect, it } from 'vitest';
import { telegramAdapter } from '../../../worker/messengers/telegram';
import { viberAdapter } from '../../../worker/messengers/viber';
import { CSAT_CHOICE } from '../../../worker/shared/csat';
import callbackQuery from '../../fixtures/telegram-callback-query-csat.json?raw';
import callbackNoData from '../../fixtures/telegram-callback-query-no-data.json?raw';
import viberKeyboardReply from '../../fixtures/viber-message-keyboard-reply.json?raw';
import viberTyped from '../../fixtures/viber-message-text-after-keyboard.json?raw';
import sendKeyboardOk from '../../fixtures/responses/telegram-sendMessage-inline-keyboard-ok.json?raw';
import answerOk from '../../fixtures/responses/telegram-answerCallbackQuery-ok.json?raw';
import queryTooOld from '../../fixtures/responses/telegram-error-400-query-too-old.json?raw';
import editOk from '../../fixtures/responses/telegram-editMessageText-ok.json?raw';
import notModified from '../../fixtures/responses/telegram-error-400-not-modified.json?raw';
import cantBeEdited from '../../fixtures/responses/telegram-error-400-cant-be-edited.json?raw';
import editNotFound from '../../fixtures/responses/telegram-error-400-message-to-edit-not-found.json?raw';
import deleteOk from '../../fixtures/responses/telegram-deleteMessage-ok.json?raw';
import cantBeDeleted from '../../fixtures/responses/telegram-error-400-cant-be-deleted.json?raw';
import deleteNotFound from '../../fixtures/responses/telegram-error-400-message-to-delete-not-found.json?raw';
import tooMany from '../../fixtures/responses/telegram-error-429.json?raw';
import viberSendOk from '../../fixtures/responses/viber-send_message-ok.json?raw';
import { jsonResponse, scriptedFetch } from './fake-fetch';

const TOKEN = '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ';
const BASE = 'http://fake.test';
const ANA = '5123456789';
const MARIA = 'pYq3V2xKc0Gm7tWbE1uLrA==';
const choice = { prompt: CSAT_CHOICE.prompt, options: [...CSAT_CHOICE.options] };

function ctxWith(...replies: Parameters<typeof scriptedFetch>) {
  const scripted = scriptedFetch(...replies);
  return { ctx: { apiBase: BASE, token: TOKEN, fetch: scripted.fetch }, calls: scripted.calls };
}
const status = (body: string) => (JSON.parse(body) as { error_code?: number }).error_code ?? 200;
const reply = (body: string) => jsonResponse(body, status(body));

describe('telegram: rating buttons', () => {
  it('sends the question with one row of inline buttons whose callback_data names the prompt and value', async () => {
    const { ctx, calls } = ctxWith(reply(sendKeyboardOk));
    const result = await telegramAdapter.send(ctx, { externalChatId: ANA, botName: 'Loja' }, { kind: 'text', text: 'Como avalia?', choice });
    expect(result).toEqual({ ok: true, externalMessageId: '9' });
    const body = JSON.parse(calls[0]!.body);
    expect(calls[0]!.url).toBe(`${BASE}/bot${TOKEN}/sendMessage`);
    expect(body.reply_markup).toEqual(JSON.parse(sendKeyboardOk).result.reply_markup);
  });

  it('parses a press (callback_query) into a choice with the query id to answer', () => {
    const outcome = telegramAdapter.parse(callbackQuery);
    expect(outcome).toEqual({
      kind: 'update',
      update: {
        dedupKey: 'u:734512010',
        events: [{
          type: 'choice', prompt: 'csat', value: '4', ackId: '4382719465038276154',
          sender: { externalId: ANA, externalChatId: ANA, name: 'Ana Souza', username: 'ana_souza', languageCode: 'pt-br' },
        }],
      },
    });
  });

  it('acknowledges a callback query that is not one of our buttons, and keeps its id to answer', () => {
    const outcome = telegramAdapter.parse(callbackNoData);
    expect(outcome.kind).toBe('update');
    if (outcome.kind !== 'update') return;
    expect(outcome.update.events).toEqual([{ type: 'ignored', reason: expect.stringContaining('callback query'), ackId: '4382719465038276155' }]);
  });

  it('a callback_query of another shape is unprocessable, not a crash', () => {
    const broken = callbackQuery.replace('"id":"4382719465038276154"', '"id":43827');
    expect(telegramAdapter.parse(broken).kind).toBe('unprocessable');
  });

  it('answers a press with answerCallbackQuery; "query is too old" is a permanent failure', async () => {
    const { ctx, calls } = ctxWith(reply(answerOk), reply(queryTooOld));
    expect(await telegramAdapter.answerChoice!(ctx, '4382719465038276154', 'Obrigado!')).toEqual({ ok: true });
    expect(calls[0]!.url).toBe(`${BASE}/bot${TOKEN}/answerCallbackQuery`);
    expect(JSON.parse(calls[0]!.body)).toEqual({ callback_query_id: '4382719465038276154', text: 'Obrigado!' });
    const old = await telegramAdapter.answerChoice!(ctx, 'x', '');
    expect(old).toMatchObject({ ok: false, retryable: false });
    expect(JSON.parse(calls[1]!.body)).toEqual({ callback_query_id: 'x' });
  });
});

describe('telegram: editing and deleting a sent reply', () => {
  const to = { externalChatId: ANA };

  it('edits with editMessageText (chat_id and message_id as numbers); "not modified" counts as done', async () => {
    const { ctx, calls } = ctxWith(reply(editOk), reply(notModified));
    expect(await telegramAdapter.editText!(ctx, to, '4', 'Novo texto')).toEqual({ ok: true });
    expect(calls[0]!.url).toBe(`${BASE}/bot${TOKEN}/editMessageText`);
    expect(JSON.parse(calls[0]!.body)).toEqual({ chat_id: 5123456789, message_id: 4, text: 'Novo texto' });
    expect(await telegramAdapter.editText!(ctx, to, '4', 'Novo texto')).toEqual({ ok: true });
  });

  it('"message can\'t be edited" and "message to edit not found" are permanent, with a readable reason', async () => {
    const { ctx } = ctxWith(reply(cantBeEdited), reply(editNotFound));
    const cant = await telegramAdapter.editText!(ctx, to, '4', 'x');
    expect(cant).toEqual({ ok: false, retryable: false, reason: expect.stringContaining('no longer allows') });
    const gone = await telegramAdapter.editText!(ctx, to, '4', 'x');
    expect(gone).toEqual({ ok: false, retryable: false, reason: expect.stringContaining('no longer in the client') });
  });

  it('a 429 is retried after retry_after', async () => {
    const { ctx } = ctxWith(reply(tooMany));
    const limited = await telegramAdapter.editText!(ctx, to, '4', 'x');
    expect(limited).toMatchObject({ ok: false, retryable: true, retryAfterSeconds: JSON.parse(tooMany).parameters.retry_after });
  });

  it('deletes with deleteMessage; too old (can\'t be deleted) is permanent, already gone counts as done', async () => {
    const { ctx, calls } = ctxWith(reply(deleteOk), reply(cantBeDeleted), reply(deleteNotFound));
    expect(await telegramAdapter.deleteMessage!(ctx, to, '4')).toEqual({ ok: true });
    expect(calls[0]!.url).toBe(`${BASE}/bot${TOKEN}/deleteMessage`);
    expect(JSON.parse(calls[0]!.body)).toEqual({ chat_id: 5123456789, message_id: 4 });
    expect(await telegramAdapter.deleteMessage!(ctx, to, '4')).toMatchObject({ ok: false, retryable: false });
    expect(await telegramAdapter.deleteMessage!(ctx, to, '4')).toEqual({ ok: true });
  });

  it('declares edits and a 48 h delete window; Viber declares none and has no such calls', () => {
    expect(telegramAdapter.sentMessageChanges).toEqual({ edit: true, deleteWithinMs: 48 * 3600 * 1000 });
    expect(viberAdapter.sentMessageChanges).toBeUndefined();
    expect(viberAdapter.editText).toBeUndefined();
    expect(viberAdapter.deleteMessage).toBeUndefined();
  });
});

describe('viber: rating keyboard', () => {
  it('sends a keyboard of reply buttons whose ActionBody is the value, and tracking_data naming prompt and values', async () => {
    const { ctx, calls } = ctxWith(jsonResponse(viberSendOk));
    const result = await viberAdapter.send(ctx, { externalChatId: MARIA, botName: 'Loja Exemplo' }, { kind: 'text', text: 'Como avalia?', choice });
    expect(result).toEqual({ ok: true, externalMessageId: '5916838249301581826' });
    const body = JSON.parse(calls[0]!.body);
    expect(body).toMatchObject({ receiver: MARIA, type: 'text', text: 'Como avalia?', tracking_data: 'choice:csat:1,2,3,4,5' });
    expect(body.keyboard.Type).toBe('keyboard');
    expect(body.keyboard.Buttons).toHaveLength(5);
    expect(body.keyboard.Buttons[3]).toEqual({ Columns: 1, Rows: 1, ActionType: 'reply', ActionBody: '4', Text: '4' });
    // Viber's 6-column grid: one row.
    expect(body.keyboard.Buttons.reduce((n: number, b: { Columns: number }) => n + b.Columns, 0)).toBeLessThanOrEqual(6);
  });

  it('a reply that is one of the offered values (with our tracking_data) is a choice', () => {
    const outcome = viberAdapter.parse(viberKeyboardReply);
    expect(outcome.kind).toBe('update');
    if (outcome.kind !== 'update') return;
    expect(outcome.update.dedupKey).toBe('message:5916840123456789012');
    expect(outcome.update.events).toEqual([{ type: 'choice', prompt: 'csat', value: '4', sender: expect.objectContaining({ externalId: MARIA }) }]);
  });

  it('a typed text after the keyboard (tracking_data still echoed) stays an ordinary message', () => {
    const outcome = viberAdapter.parse(viberTyped);
    if (outcome.kind !== 'update') throw new Error(outcome.kind);
    expect(outcome.update.events[0]).toMatchObject({ type: 'message', text: 'Foi rápido, obrigada!' });
  });
});
