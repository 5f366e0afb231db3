import { describe, expect, it } from 'vitest';
import { telegramAdapter } from '../../../worker/messengers/telegram';
import { viberAdapter } from '../../../worker/messengers/viber';
import { hashWebhookSecret } from '../../../worker/messengers/crypto';
import conversationStarted from '../../fixtures/viber-conversation-started.json?raw';
import delivered from '../../fixtures/viber-delivered.json?raw';
import failed from '../../fixtures/viber-failed.json?raw';
import picture from '../../fixtures/viber-message-picture.json?raw';
import messageText from '../../fixtures/viber-message-text.json?raw';
import seen from '../../fixtures/viber-seen.json?raw';
import subscribed from '../../fixtures/viber-subscribed.json?raw';
import unsubscribed from '../../fixtures/viber-unsubscribed.json?raw';
import webhook from '../../fixtures/viber-webhook.json?raw';
import tgText from '../../fixtures/telegram-text.json?raw';

const VIBER_TOKEN = '4f2a9c1e7b3d5a60-91c4e8b2d7f0a3c5-0e6b1d9f4a2c8e73';
const TG_SECRET = 'tg_wh_5f3a9c2e8b1d4f70a6c3e9b2d8f1a4c7';

// docs/viber.md §4.5: signatures over the exact fixture bytes with the example token.
const VIBER_SIGNATURES: [string, string, string][] = [
  ['viber-webhook.json', webhook, '532956fe7c567c34d76b24ec521fb9319c817b41ddc4f7b80d478005d76b3d05'],
  ['viber-conversation-started.json', conversationStarted, 'f0aaffbb029477a8861caf0f2f04c6070b7ec4feb1a08f0a4ef747ef9f757761'],
  ['viber-subscribed.json', subscribed, '46fecb513db11acc2adcc5770ddf942e4462e5f856e3620af41e2aabc3f9191a'],
  ['viber-message-text.json', messageText, '37c4ecbe05e5686182e08f59112bfa2d4c05562cd0fcb2008c3936cb702d1c34'],
  ['viber-message-picture.json', picture, 'f1df85134e791f51efd8ca680ab078e25060491c32655605ff0253f3c52f2783'],
  ['viber-delivered.json', delivered, '556af779b26de041f29be520c5545d6006f7a19656476249b5afdca95d529c1d'],
  ['viber-seen.json', seen, 'd65b6ee5008c34b8b9dc284a9776498c4d11e958cf51d0311ae0aa7d51273e0e'],
  ['viber-failed.json', failed, '6399b9e981146baf5c2a12bbcd8754f9d79fd070fbc6ad4fecdf3eec445813b7'],
  ['viber-unsubscribed.json', unsubscribed, '7f1536ff433805e615b3faaae72272ee483374de49d85456aaeb2259aee46a84'],
];

const viberCreds = { token: VIBER_TOKEN, webhookSecret: 'unused-for-viber' };
const viberReq = (rawBody: string, signature?: string) => ({
  rawBody,
  headers: new Headers(signature === undefined ? {} : { 'X-Viber-Content-Signature': signature }),
});

describe('viber verify', () => {
  it.each(VIBER_SIGNATURES)('%s verifies with the fixture token', async (_, raw, sig) => {
    expect(await viberAdapter.verify(viberReq(raw, sig), viberCreds)).toBe(true);
  });

  it('accepts an upper-case signature header', async () => {
    const [, raw, sig] = VIBER_SIGNATURES[3]!;
    expect(await viberAdapter.verify(viberReq(raw, sig.toUpperCase()), viberCreds)).toBe(true);
  });

  it('rejects a forged signature, a changed body, another token and a missing header', async () => {
    const [, raw, sig] = VIBER_SIGNATURES[3]!;
    const forged = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(await viberAdapter.verify(viberReq(raw, forged), viberCreds)).toBe(false);
    expect(await viberAdapter.verify(viberReq(raw.replace('4821', '4822'), sig), viberCreds)).toBe(false);
    expect(await viberAdapter.verify(viberReq(raw, sig), { ...viberCreds, token: `${VIBER_TOKEN}x` })).toBe(false);
    expect(await viberAdapter.verify(viberReq(raw), viberCreds)).toBe(false);
    expect(await viberAdapter.verify(viberReq(raw, ''), viberCreds)).toBe(false);
  });

  it('a body with a trailing newline is a different body', async () => {
    const [, raw, sig] = VIBER_SIGNATURES[0]!;
    expect(await viberAdapter.verify(viberReq(`${raw}\n`, sig), viberCreds)).toBe(false);
  });
});

describe('telegram verify', () => {
  const creds = { token: '7012345678:AAF3kq9ZxYw2Vb8nT4mR6pL1sD0cE5gH7jQ', webhookSecret: TG_SECRET };
  const req = (secret?: string) => ({
    rawBody: tgText,
    headers: new Headers(secret === undefined ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret }),
  });

  it('accepts the stored secret', async () => {
    expect(await telegramAdapter.verify(req(TG_SECRET), creds)).toBe(true);
  });

  it('rejects a wrong, truncated, longer or missing secret', async () => {
    expect(await telegramAdapter.verify(req(TG_SECRET.replace('c7', 'c8')), creds)).toBe(false);
    expect(await telegramAdapter.verify(req(TG_SECRET.slice(0, -1)), creds)).toBe(false);
    expect(await telegramAdapter.verify(req(`${TG_SECRET}0`), creds)).toBe(false);
    expect(await telegramAdapter.verify(req(), creds)).toBe(false);
  });

  it('never accepts when no secret is stored', async () => {
    expect(await telegramAdapter.verify(req(''), { ...creds, webhookSecret: '' })).toBe(false);
  });

  // The isolate remembers the secret that last matched a stored hash; that memory must never admit
  // anything else, for this bot or another.
  it('with a hashed secret remembered from an earlier match, still refuses every other secret', async () => {
    const hashed = { ...creds, webhookSecret: await hashWebhookSecret(TG_SECRET) };
    const other = { ...creds, webhookSecret: await hashWebhookSecret('tg_wh_another_bot_secret_0123456789') };
    for (let round = 0; round < 2; round++) {
      expect(await telegramAdapter.verify(req(TG_SECRET), hashed)).toBe(true);
      expect(await telegramAdapter.verify(req(TG_SECRET.replace('c7', 'c8')), hashed)).toBe(false);
      expect(await telegramAdapter.verify(req(''), hashed)).toBe(false);
      expect(await telegramAdapter.verify(req(TG_SECRET), other)).toBe(false);
      expect(await telegramAdapter.verify(req('tg_wh_another_bot_secret_0123456789'), other)).toBe(true);
    }
  });
});
