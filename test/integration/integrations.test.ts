/**
 * Connecting bots through the HTTP API with the messenger fake as the network: token validation,
 * webhook registration with a fresh secret (Viber calls the webhook back synchronously), encryption at
 * rest, rollback, settings, disconnect. Tokens must never come back.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { integrations } from '../../worker/data/schema';
import { hmacSha256Hex } from '../../worker/messengers/crypto';
import { decryptToken } from '../../worker/domain/integrations';
import { hashWebhookSecret } from '../../worker/messengers/crypto';
import { db, makeUser } from '../support/factory';
import { call, loginAs } from '../support/http';
import { json, messengerFake, TELEGRAM_TOKEN, VIBER_TOKEN, type MessengerFake } from '../support/messenger-fake';

let fake: MessengerFake;
let admin: string;
let employee: string;
beforeAll(async () => {
  const a = await makeUser('admin');
  const e = await makeUser('employee');
  admin = await loginAs(a.email, a.password);
  employee = await loginAs(e.email, e.password);
});
beforeEach(() => {
  fake = messengerFake().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const row = async (id: string) => (await db().select().from(integrations).where(eq(integrations.id, id)).get())!;

describe('integrations API', () => {
  let telegramId: string;

  it('connects a Telegram bot: getMe names it, setWebhook gets our URL and a fresh secret, the token is stored encrypted', async () => {
    const res = await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'telegram', token: TELEGRAM_TOKEN, greetingText: 'Olá!' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ channel: 'telegram', name: 'Loja Exemplo', enabled: true, greetingText: 'Olá!', autoReplyText: '', funnelId: null, queue: [] });
    expect(JSON.stringify(body)).not.toContain(TELEGRAM_TOKEN);
    telegramId = String(body.id);

    const [setWebhook] = fake.sent('setWebhook');
    expect(setWebhook.token).toBe(TELEGRAM_TOKEN);
    expect(setWebhook.params.url).toBe(`http://ponte.test/webhooks/telegram/${telegramId}`);
    const stored = await row(telegramId);
    const secret = String(setWebhook.params.secret_token);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    // Only its hash is stored, so a leaked row cannot forge webhooks.
    expect(stored.webhookSecret).toBe(await hashWebhookSecret(secret));
    expect(stored.webhookSecret).not.toContain(secret);
    expect(stored.tokenEncrypted).not.toContain(TELEGRAM_TOKEN);
    expect(await decryptToken(env.ENCRYPTION_KEY, stored.tokenEncrypted)).toBe(TELEGRAM_TOKEN);

    // The registered webhook works with that secret.
    const hook = await call('POST', `/webhooks/telegram/${telegramId}`, { body: '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"from":{"id":1,"first_name":"A"},"text":"oi"}}', headers: { 'x-telegram-bot-api-secret-token': secret } });
    expect(hook.status).toBe(200);
  });

  it('a second connect of the same bot is 409; a bad token is 400 invalid_token and stores nothing', async () => {
    expect((await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'telegram', token: TELEGRAM_TOKEN } })).status).toBe(409);
    const before = (await db().select().from(integrations).all()).length;
    const bad = await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'telegram', token: '123:wrong' } });
    expect(bad.status).toBe(400);
    const error = (await bad.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('invalid_token');
    expect(error.error.message).not.toContain('123:wrong');
    expect((await db().select().from(integrations).all()).length).toBe(before);
    expect((await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'whatsapp', token: 'x' } })).status).toBe(400);
  });

  it('connects a Viber bot: the row exists and verifies Viber\'s synchronous callback during set_webhook', async () => {
    let callback: Response | undefined;
    fake.onViberSetWebhook = async (url) => {
      const body = '{"event":"webhook","timestamp":1754042100457,"chat_hostname":"SN-CHAT-05_","message_token":5916836919477944763}';
      callback = await fake.fetch(url, { method: 'POST', body, headers: { 'x-viber-content-signature': await hmacSha256Hex(VIBER_TOKEN, body) } });
      return callback.status === 200 ? undefined : json({ status: 1, status_message: 'invalidUrl' });
    };
    const res = await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'viber', token: VIBER_TOKEN, autoReplyText: 'Já respondemos' } });
    expect(res.status).toBe(201);
    expect(callback?.status).toBe(200);
    const body = (await res.json()) as { id: string; name: string };
    expect(body.name).toBe('Loja Exemplo');
    const [setWebhook] = fake.sent('set_webhook');
    expect(setWebhook.token).toBe(VIBER_TOKEN);
    expect(setWebhook.params).toMatchObject({ url: `http://ponte.test/webhooks/viber/${body.id}` });
  });

  it('a refused webhook registration rolls the integration back', async () => {
    fake.onViberSetWebhook = async () => json({ status: 1, status_message: 'invalidUrl' });
    const viberRows = async () => (await db().select().from(integrations).where(eq(integrations.channel, 'viber')).all()).length;
    const before = await viberRows();
    // Disconnect the Viber bot first so its account can be connected again.
    const list = (await (await call('GET', '/api/integrations', { cookie: admin })).json()) as { id: string; channel: string }[];
    const viber = list.find((i) => i.channel === 'viber')!;
    expect((await call('DELETE', `/api/integrations/${viber.id}`, { cookie: admin })).status).toBe(204);
    const res = await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'viber', token: VIBER_TOKEN } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('webhook_failed');
    // The removed row is restored as it was (removed), and no new one appeared.
    expect(await viberRows()).toBe(before);
    expect((await row(viber.id)).removedAt).not.toBeNull();
  });

  it('lists for everyone logged in without credentials; PATCH changes texts, funnel and enabled', async () => {
    const res = await call('GET', '/api/integrations', { cookie: employee });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(TELEGRAM_TOKEN);
    expect(text).not.toContain((await row(telegramId)).webhookSecret);
    expect(text).not.toMatch(/token|secret/i);

    const patched = await call('PATCH', `/api/integrations/${telegramId}`, { cookie: admin, body: { greetingText: null, autoReplyText: 'Obrigado!', enabled: false } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ greetingText: '', autoReplyText: 'Obrigado!', enabled: false });
    expect((await call('PATCH', `/api/integrations/${telegramId}`, { cookie: admin, body: { funnelId: 'nope' } })).status).toBe(400);
    expect((await call('PATCH', `/api/integrations/${telegramId}`, { cookie: admin, body: { token: 'x' } })).status).toBe(400);
    expect((await call('PATCH', `/api/integrations/${telegramId}`, { cookie: employee, body: { enabled: true } })).status).toBe(403);
    expect((await call('PATCH', '/api/integrations/unknown', { cookie: admin, body: { enabled: true } })).status).toBe(404);
  });

  it('DELETE unregisters the webhook, forgets the token and hides the bot; reconnecting revives the same integration', async () => {
    expect((await call('DELETE', `/api/integrations/${telegramId}`, { cookie: admin })).status).toBe(204);
    expect(fake.sent('deleteWebhook')).toHaveLength(1);
    expect(await row(telegramId)).toMatchObject({ enabled: false, tokenEncrypted: '', webhookSecret: '' });
    const list = (await (await call('GET', '/api/integrations', { cookie: admin })).json()) as { id: string }[];
    expect(list.map((i) => i.id)).not.toContain(telegramId);
    expect((await call('DELETE', `/api/integrations/${telegramId}`, { cookie: admin })).status).toBe(404);

    const again = await call('POST', '/api/integrations', { cookie: admin, body: { channel: 'telegram', token: TELEGRAM_TOKEN } });
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(telegramId);
  });
});
