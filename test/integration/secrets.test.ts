import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { hmacSha256Hex } from '../../worker/messengers/crypto';
import { signedMediaUrl, verifyMediaSignature } from '../../worker/domain/media';
import { decryptToken, encryptToken } from '../../worker/domain/integrations';
import { BASE, call } from '../support/http';
import { db, makeIntegration } from '../support/factory';
import { eq } from 'drizzle-orm';
import { integrations } from '../../worker/data/schema';
import { hashWebhookSecret } from '../../worker/messengers/crypto';
import { migrateIntegrationSecrets } from '../../worker/domain/integrations';
import { needsEncryptionKey } from '../../worker/http/require-secrets';

const withoutKey = { ...env, ENCRYPTION_KEY: undefined } as unknown as typeof env;

async function fetchWithout(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(BASE + path, init), withoutKey, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('secrets fail closed', () => {
  it('without ENCRYPTION_KEY a media URL signed with the guessable key is refused with a clear 500', async () => {
    await env.MEDIA.put('secret-file', 'private bytes');
    const exp = Date.now() + 60_000;
    // The key the Worker fell back to without ENCRYPTION_KEY: anyone could compute it.
    const sig = await hmacSha256Hex('media-url:undefined', `secret-file:${exp}`);
    const res = await fetchWithout(`/media/secret-file?exp=${exp}&sig=${sig}`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: 'encryption_key_missing' } });
  });

  it('without ENCRYPTION_KEY webhooks and bot connections are refused before anything is read', async () => {
    const hook = await fetchWithout('/webhooks/telegram/anything', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"update_id":1}' });
    expect(hook.status).toBe(500);
    expect(await hook.json()).toMatchObject({ error: { code: 'encryption_key_missing' } });
  });

  it('signing, verifying and token encryption throw without a usable key instead of using a known one', async () => {
    await expect(signedMediaUrl({ publicUrl: 'http://x', secret: undefined }, 'k')).rejects.toMatchObject({ name: 'MissingSecretError' });
    await expect(verifyMediaSignature(undefined, 'k', String(Date.now() + 1000), 'ab')).rejects.toMatchObject({ name: 'MissingSecretError' });
    await expect(encryptToken(undefined, 'token')).rejects.toMatchObject({ name: 'MissingSecretError' });
    await expect(encryptToken('too-short', 'token')).rejects.toMatchObject({ name: 'MissingSecretError' });
  });

  it('media signatures and token encryption use separate derived keys, not the raw secret', async () => {
    const url = new URL(await signedMediaUrl({ publicUrl: 'http://x', secret: env.ENCRYPTION_KEY }, 'file-1'));
    const exp = url.searchParams.get('exp')!;
    expect(await verifyMediaSignature(env.ENCRYPTION_KEY, 'file-1', exp, url.searchParams.get('sig')!)).toBe(true);
    // Not the old construction (HMAC keyed with a label + the secret string).
    expect(url.searchParams.get('sig')).not.toBe(await hmacSha256Hex(`media-url:${env.ENCRYPTION_KEY}`, `file-1:${exp}`));
    const stored = await encryptToken(env.ENCRYPTION_KEY, '123:abc');
    expect(stored.startsWith('v2.')).toBe(true);
    expect(await decryptToken(env.ENCRYPTION_KEY, stored)).toBe('123:abc');
  });

  it('tokens encrypted under the raw key before HKDF are still readable', async () => {
    const raw = Uint8Array.from(atob(env.ENCRYPTION_KEY), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode('legacy:token')));
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
    expect(await decryptToken(env.ENCRYPTION_KEY, `${b64(iv)}.${b64(data)}`)).toBe('legacy:token');
  });
});

describe('stored webhook secrets', () => {
  const update = '{"update_id":7001,"message":{"message_id":1,"date":1,"chat":{"id":55,"type":"private"},"from":{"id":55,"first_name":"A"},"text":"oi"}}';
  const hook = (id: string, secret: string) =>
    call('POST', `/webhooks/telegram/${id}`, { body: update, headers: { 'x-telegram-bot-api-secret-token': secret } });

  it('a hashed secret verifies the real secret and refuses the hash itself', async () => {
    const secret = 'abcdefghijklmnopqrstuvwxyz_0123456789';
    const bot = await makeIntegration({ webhookSecret: await hashWebhookSecret(secret) });
    expect((await hook(bot.id, bot.webhookSecret)).status).toBe(401);
    expect((await hook(bot.id, secret)).status).toBe(200);
  });

  it('the hourly migration hashes plain secrets and re-encrypts raw-key tokens; webhooks keep working', async () => {
    const raw = Uint8Array.from(atob(env.ENCRYPTION_KEY), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode('1:legacy')));
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
    const plain = 'plain_secret_from_before_hashing_0001';
    const bot = await makeIntegration({ webhookSecret: plain, tokenEncrypted: `${b64(iv)}.${b64(data)}` });
    expect((await hook(bot.id, plain)).status).toBe(200);

    expect(await migrateIntegrationSecrets(db(), env.ENCRYPTION_KEY)).toBeGreaterThanOrEqual(1);
    const [after] = await db().select().from(integrations).where(eq(integrations.id, bot.id)).all();
    expect(after.webhookSecret).toBe(await hashWebhookSecret(plain));
    expect(after.tokenEncrypted.startsWith('v2.')).toBe(true);
    expect(await decryptToken(env.ENCRYPTION_KEY, after.tokenEncrypted)).toBe('1:legacy');
    expect(await migrateIntegrationSecrets(db(), env.ENCRYPTION_KEY)).toBe(0);
    const again = update.replace('7001', '7002');
    const res = await call('POST', `/webhooks/telegram/${bot.id}`, { body: again, headers: { 'x-telegram-bot-api-secret-token': plain } });
    expect(res.status).toBe(200);
  });
});

describe('which paths need the key', () => {
  it('media, webhooks, connecting/disconnecting bots and sending; not login or reading', () => {
    expect(needsEncryptionKey('GET', '/media/abc')).toBe(true);
    expect(needsEncryptionKey('POST', '/webhooks/viber/x')).toBe(true);
    expect(needsEncryptionKey('POST', '/api/integrations')).toBe(true);
    expect(needsEncryptionKey('DELETE', '/api/integrations/abc')).toBe(true);
    expect(needsEncryptionKey('POST', '/api/chats/c1/messages')).toBe(true);
    expect(needsEncryptionKey('POST', '/api/chats/c1/attachments')).toBe(true);
    expect(needsEncryptionKey('POST', '/api/chats/c1/messages/m1/retry')).toBe(true);
    expect(needsEncryptionKey('POST', '/api/auth/login')).toBe(false);
    expect(needsEncryptionKey('GET', '/api/chats')).toBe(false);
    expect(needsEncryptionKey('PATCH', '/api/integrations/abc')).toBe(false);
  });
});
