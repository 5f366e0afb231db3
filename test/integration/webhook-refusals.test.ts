/**
 * What the webhook refuses or only acknowledges: an authenticated update Ponte cannot use is a 200 that
 * records it (the messenger must not retry it and hold the bot's later updates behind it); a stranger
 * (unknown integration, forged secret or signature, wrong channel or content type) gets 404 / 401 / 415
 * in that order whatever the body, never a 5xx, and costs no D1 write.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { unprocessableUpdates } from '../../worker/data/schema';
import { encryptToken } from '../../worker/domain/integrations';
import { hmacSha256Hex } from '../../worker/messengers/crypto';
import { telegramAdapter } from '../../worker/messengers/telegram';
import { db, makeIntegration } from '../support/factory';
import { messengerFake, TELEGRAM_TOKEN, VIBER_TOKEN } from '../support/messenger-fake';
import { hook, stored, tg, TG_SECRET, vb } from '../support/webhook-calls';
import tgPhoto from '../fixtures/telegram-photo.json?raw';
import tgText from '../fixtures/telegram-text.json?raw';
import vbText from '../fixtures/viber-message-text.json?raw';

beforeEach(() => {
  messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('an authenticated update Ponte cannot use', () => {
  it('is acknowledged with 200 and recorded with its body, Telegram and Viber alike; nothing else is stored', async () => {
    const tgBot = await makeIntegration({ channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), webhookSecret: TG_SECRET });
    const vbBot = await makeIntegration({ channel: 'viber', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, VIBER_TOKEN), webhookSecret: '' });
    const photoOfNull = tgPhoto.replace(/"photo":\[.*\],/, '"photo":[null],');
    const nullUsername = tgText.replace('"username":"ana_souza"', '"username":null');
    const nullName = vbText.replace('"name":"Maria Oliveira"', '"name":null');
    for (const raw of [photoOfNull, nullUsername, photoOfNull]) {
      const res = await tg(tgBot.id, raw);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    }
    const res = await vb(vbBot.id, nullName, await hmacSha256Hex(VIBER_TOKEN, nullName));
    expect(res.status).toBe(200);

    const recorded = await db().select().from(unprocessableUpdates).orderBy(unprocessableUpdates.receivedAt, unprocessableUpdates.id).all();
    const of = (id: string) => recorded.filter((r) => r.integrationId === id).map((r) => [r.channel, r.rawBody]);
    expect(of(tgBot.id)).toEqual([['telegram', photoOfNull], ['telegram', nullUsername], ['telegram', photoOfNull]]);
    expect(of(vbBot.id)).toEqual([['viber', nullName]]);
    expect(recorded.find((r) => r.integrationId === vbBot.id)?.reason).toMatch(/sender\.name/);
    expect(await stored(tgBot.id)).toEqual({ messages: 0, keys: 0 });
    expect(await stored(vbBot.id)).toEqual({ messages: 0, keys: 0 });
  });
});

describe('strangers: no credentials, no D1 write, never 5xx', () => {
  let telegramId: string;
  let viberId: string;
  // A body the parser could not take apart (before it validated what it reads, this threw a TypeError).
  const poison = tgPhoto.replace(/"photo":\[.*\],/, '"photo":[null],');
  const vbPoison = vbText.replace(/"name":"Maria Oliveira"/, '"name":null');
  beforeAll(async () => {
    telegramId = (await makeIntegration({ channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), webhookSecret: TG_SECRET })).id;
    viberId = (await makeIntegration({ channel: 'viber', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, VIBER_TOKEN), webhookSecret: '' })).id;
  });

  /** Rows in every table a webhook writes, across all integrations. */
  async function everyRow() {
    const tables = ['processed_updates', 'unprocessable_updates', 'contacts', 'contact_identities', 'chats', 'messages', 'chat_events', 'opportunities'];
    const counts = await Promise.all(tables.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM ${t}`).first<{ n: number }>('n')));
    return Object.fromEntries(tables.map((t, i) => [t, counts[i]]));
  }

  it('an unknown integration is 404, a forged secret or signature 401, whatever the body', async () => {
    const before = await everyRow();
    expect((await tg('nope', poison, 'tg_wh_forged')).status).toBe(404);
    expect((await tg('nope', poison)).status).toBe(404);
    expect((await tg(telegramId, poison, 'tg_wh_forged')).status).toBe(401);
    expect((await hook(`/webhooks/telegram/${telegramId}`, poison)).status).toBe(401);
    expect((await vb('nope', vbPoison, 'f'.repeat(64))).status).toBe(404);
    expect((await vb(viberId, vbPoison, 'f'.repeat(64))).status).toBe(401);
    expect((await hook(`/webhooks/whatsapp/${telegramId}`, poison)).status).toBe(404);
    // The pinned order: 404, then 415, then 401, then the body.
    const form = { 'x-telegram-bot-api-secret-token': 'tg_wh_forged', 'content-type': 'text/plain' };
    expect((await hook(`/webhooks/telegram/${telegramId}`, poison, form)).status).toBe(415);
    expect((await hook('/webhooks/telegram/nope', poison, form)).status).toBe(404);
    expect(await everyRow()).toEqual(before);
  });

  it('an over-long integration id is 404 and stores nothing', async () => {
    const before = await everyRow();
    const res = await tg('x'.repeat(120_000), tgText);
    expect(res.status).toBe(404);
    expect(await everyRow()).toEqual(before);
  });

  it('a parser that throws is answered before the credentials are known: 404 / 401, never 500', async () => {
    vi.spyOn(telegramAdapter, 'parse').mockImplementation(() => {
      throw new TypeError("Cannot read properties of null (reading 'file_id')");
    });
    const before = await everyRow();
    expect((await tg('nope', tgText, 'tg_wh_forged')).status).toBe(404);
    expect((await tg(telegramId, tgText, 'tg_wh_forged')).status).toBe(401);
    expect(await everyRow()).toEqual(before);
    // With the right secret it is the messenger's update after all: acknowledged and kept, not retried.
    expect((await tg(telegramId, tgText)).status).toBe(200);
    const kept = await db().select().from(unprocessableUpdates).where(eq(unprocessableUpdates.integrationId, telegramId)).all();
    expect(kept.map((r) => [r.rawBody, r.reason])).toEqual([[tgText, expect.stringContaining('parser failed')]]);
  });
});
