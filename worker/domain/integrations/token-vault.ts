/**
 * Bot tokens at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY (domain/keys, HKDF label
 * "bot-token-encryption"), stored as `v2.base64(iv).base64(ciphertext)`. Tokens stored before the
 * derived key are `base64(iv).base64(ciphertext)` under the raw ENCRYPTION_KEY: they stay readable, and
 * the hourly cleanup re-encrypts them (`migrateIntegrationSecrets`), so the raw key's use ends.
 * Tokens are decrypted only to call the messenger.
 */
import { legacyTokenKey, tokenEncryptionKey } from '../keys';

const CURRENT = 'v2.';

/** Encrypts a bot token for storage (under the derived key). */
export async function encryptToken(secret: string | undefined, token: string): Promise<string> {
  const key = await tokenEncryptionKey(secret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(token));
  return `${CURRENT}${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
}

/** True for a ciphertext still under the raw ENCRYPTION_KEY (to be re-encrypted). */
export function isLegacyCiphertext(stored: string): boolean {
  return stored !== '' && !stored.startsWith(CURRENT);
}

/** Ciphertexts never change meaning (a new token is a new ciphertext), so an isolate keeps what it decrypted. */
const clearTexts = new Map<string, Promise<string>>();
const MAX_KEPT = 1000;

/** Decrypts a stored bot token (each webhook needs it to verify the request). */
export function decryptToken(secret: string | undefined, stored: string): Promise<string> {
  const key = `${secret}\u0000${stored}`;
  let clear = clearTexts.get(key);
  if (!clear) {
    if (clearTexts.size >= MAX_KEPT) clearTexts.clear();
    clear = decrypt(secret, stored);
    clearTexts.set(key, clear);
    clear.catch(() => clearTexts.delete(key));
  }
  return clear;
}

async function decrypt(secret: string | undefined, stored: string): Promise<string> {
  const legacy = isLegacyCiphertext(stored);
  const [iv, data] = (legacy ? stored : stored.slice(CURRENT.length)).split('.');
  const key = legacy ? await legacyTokenKey(secret) : await tokenEncryptionKey(secret);
  const clear = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, key, fromBase64(data));
  return new TextDecoder().decode(clear);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
