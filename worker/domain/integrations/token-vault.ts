/**
 * Bot tokens at rest: AES-256-GCM under ENCRYPTION_KEY (base64 of 32 bytes), stored as
 * base64(iv).base64(ciphertext). Tokens are decrypted only to call the messenger.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function importKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
    if (raw.length !== 32) throw new Error('ENCRYPTION_KEY must be base64 of 32 bytes');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(secret, key);
  }
  return key;
}

/** Encrypts a bot token for storage. */
export async function encryptToken(secret: string, token: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await importKey(secret), new TextEncoder().encode(token));
  return `${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
}

/** Ciphertexts never change meaning (a new token is a new ciphertext), so an isolate keeps what it decrypted. */
const clearTexts = new Map<string, Promise<string>>();
const MAX_KEPT = 1000;

/** Decrypts a stored bot token (each webhook needs it to verify the request). */
export function decryptToken(secret: string, stored: string): Promise<string> {
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

async function decrypt(secret: string, stored: string): Promise<string> {
  const [iv, data] = stored.split('.');
  const clear = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, await importKey(secret), fromBase64(data));
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
