/**
 * Property: an authenticated webhook never answers 5xx, whatever the body. Real fixtures mutated
 * (values replaced by null / numbers / strings / arrays / objects / deep nesting, keys deleted or
 * added, bodies cut short) and bodies generated from nothing go through the Worker's real fetch
 * handler with the right Telegram secret or Viber signature. A body that is not an update at all is
 * refused with 400; anything else is acknowledged with 200 (stored, or recorded as unprocessable), so
 * the messenger never retries it and the bot's later updates never queue behind it.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hmacSha256Hex } from '../../worker/messengers/crypto';
import { encryptToken } from '../../worker/domain/integrations';
import { desc, eq } from 'drizzle-orm';
import { unprocessableUpdates } from '../../worker/data/schema';
import { RAW_KEEP } from '../../worker/domain/ingest';
import { telegramAdapter } from '../../worker/messengers/telegram';
import type { ParseOutcome } from '../../worker/messengers/types';
import { viberAdapter } from '../../worker/messengers/viber';
import { db, makeIntegration } from '../support/factory';
import { hook } from '../support/webhook-calls';
import { messengerFake, TELEGRAM_TOKEN, VIBER_TOKEN } from '../support/messenger-fake';
import { generatedBody, mutatedBody } from '../support/update-mutations';
import tgStart from '../fixtures/telegram-start.json?raw';
import tgText from '../fixtures/telegram-text.json?raw';
import tgPhoto from '../fixtures/telegram-photo.json?raw';
import tgEdited from '../fixtures/telegram-edited.json?raw';
import tgBlocked from '../fixtures/telegram-my-chat-member-blocked.json?raw';
import vbStarted from '../fixtures/viber-conversation-started.json?raw';
import vbSubscribed from '../fixtures/viber-subscribed.json?raw';
import vbText from '../fixtures/viber-message-text.json?raw';
import vbPicture from '../fixtures/viber-message-picture.json?raw';
import vbDelivered from '../fixtures/viber-delivered.json?raw';
import vbUnsubscribed from '../fixtures/viber-unsubscribed.json?raw';
import vbWebhook from '../fixtures/viber-webhook.json?raw';

const TG_SECRET = 'tg_wh_property_secret';

/** Poison updates seen to answer 500 before parsing validated what it reads: always tried first. */
const tgPoison = [
  tgPhoto.replace(/"photo":\[.*\],/, '"photo":[null],'),
  tgText.replace(/"text":"[^"]*"/, '"text":5'),
  tgText.replace('"first_name":"Ana"', '"first_name":null').replace('"username":"ana_souza"', '"username":null'),
  tgPhoto.replace('"caption":"', '"caption":{"x":"'),
];
const vbPoison = [
  vbText.replace(/"text":"[^"]*"/, '"text":null'),
  vbText.replace(/"name":"Maria Oliveira"/, '"name":null'),
  vbText.replace(/"event":"message"/, '"event":"message","message_token":null'),
];
// Each run is a real request through the Worker with D1 writes (measured ~12 ms each with the 2-core
// machine at load 15, so both channels take ~23 s there and well under 20 s idle): 1,000 per channel, as the issue asks for thousands of
// generated and mutated updates. The timeout leaves room for a busy machine.
const RUNS = 1000;
const PROPERTY_TIMEOUT_MS = 180_000;

/**
 * Asserts one answer: never 5xx; 400 (`malformed_update`) exactly when the parser says the body is not
 * an update; otherwise 200, and an update it cannot use is recorded with its body.
 */
async function expectHandled(res: Response, raw: string, integrationId: string, parse: (raw: string) => ParseOutcome) {
  const text = await res.text();
  if (res.status >= 500) throw new Error(`${res.status} ${text} for ${raw.slice(0, 500)}`);
  const outcome = parse(raw);
  expect(res.status).toBe(outcome.kind === 'not_an_update' ? 400 : 200);
  if (res.status === 400) expect(JSON.parse(text)).toMatchObject({ error: { code: 'malformed_update' } });
  if (outcome.kind === 'unprocessable') {
    const newest = await db().select({ rawBody: unprocessableUpdates.rawBody }).from(unprocessableUpdates)
      .where(eq(unprocessableUpdates.integrationId, integrationId)).orderBy(desc(unprocessableUpdates.receivedAt), desc(unprocessableUpdates.id)).get();
    expect(newest?.rawBody).toBe(raw.slice(0, RAW_KEEP));
  }
}

let errors: unknown[][];
beforeEach(() => {
  messengerFake().install();
  errors = [];
  // Nothing may fail quietly behind a 200 either (the after-response work logs what it could not do).
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhook route, authenticated, any body', () => {
  let telegramId: string;
  let viberId: string;
  beforeAll(async () => {
    // No auto-reply and no Telegram greeting: nothing is left to deliver after the test (the queue
    // consumer would run once the fake is gone). Viber's greeting travels in the response body.
    telegramId = (await makeIntegration({ channel: 'telegram', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, TELEGRAM_TOKEN), webhookSecret: TG_SECRET })).id;
    viberId = (await makeIntegration({ greetingText: 'Olá!', channel: 'viber', tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, VIBER_TOKEN), webhookSecret: '' })).id;
  });

  it('Telegram: never 5xx', async () => {
    const body = fc.oneof({ weight: 4, arbitrary: mutatedBody([tgStart, tgText, tgPhoto, tgEdited, tgBlocked]) }, { weight: 1, arbitrary: generatedBody });
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const res = await hook(`/webhooks/telegram/${telegramId}`, raw, { 'x-telegram-bot-api-secret-token': TG_SECRET });
        await expectHandled(res, raw, telegramId, (b) => telegramAdapter.parse(b));
      }),
      { numRuns: RUNS, examples: tgPoison.map((raw) => [raw]) },
    );
    expect(errors).toEqual([]);
  }, PROPERTY_TIMEOUT_MS);

  it('Viber: never 5xx', async () => {
    const body = fc.oneof({ weight: 4, arbitrary: mutatedBody([vbStarted, vbSubscribed, vbText, vbPicture, vbDelivered, vbUnsubscribed, vbWebhook]) }, { weight: 1, arbitrary: generatedBody });
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const signature = await hmacSha256Hex(VIBER_TOKEN, raw);
        const res = await hook(`/webhooks/viber/${viberId}`, raw, { 'x-viber-content-signature': signature });
        await expectHandled(res, raw, viberId, (b) => viberAdapter.parse(b));
      }),
      { numRuns: RUNS, examples: vbPoison.map((raw) => [raw]) },
    );
    expect(errors).toEqual([]);
  }, PROPERTY_TIMEOUT_MS);
});
