import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { hmacSha256Hex } from '../../worker/messengers/crypto';
import { signedMediaUrl, verifyMediaSignature } from '../../worker/domain/media';
import { decryptToken, encryptToken } from '../../worker/domain/integrations';
import { BASE } from '../support/http';

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
