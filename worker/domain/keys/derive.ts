/**
 * Every secret Ponte uses comes from ENCRYPTION_KEY (base64 of 32 random bytes) through HKDF-SHA256,
 * one `info` label per purpose, so a key used for one job (say, MACs handed out in URLs) never doubles
 * as the key of another (encrypting bot tokens). Without a usable ENCRYPTION_KEY nothing is derived:
 * callers get MissingSecretError, which the HTTP layer answers with a 500 (fail closed) rather than
 * working with a key anyone could compute.
 */
export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
  readonly code = 'encryption_key_missing';
  constructor(reason: string) {
    super(`ENCRYPTION_KEY ${reason}: set it with \`wrangler secret put ENCRYPTION_KEY\` (base64 of 32 random bytes)`);
  }
}

/** The purposes; changing a label changes that key (and invalidates what it protected). */
const INFO = {
  tokens: 'ponte/v1/bot-token-encryption',
  media: 'ponte/v1/media-url-signature',
} as const;

const SALT = new TextEncoder().encode('ponte-hkdf-salt-v1');
const masters = new Map<string, Uint8Array>();

/** The 32 key bytes, or MissingSecretError when the secret is absent or malformed. */
export function masterKeyBytes(secret: string | undefined): Uint8Array {
  if (!secret) throw new MissingSecretError('is not set');
  let bytes = masters.get(secret);
  if (!bytes) {
    try {
      bytes = Uint8Array.from(atob(secret.trim()), (c) => c.charCodeAt(0));
    } catch {
      throw new MissingSecretError('is not base64');
    }
    if (bytes.length !== 32) throw new MissingSecretError('must be base64 of 32 bytes');
    masters.set(secret, bytes);
  }
  return bytes;
}

/** True when ENCRYPTION_KEY is present and well formed (the request guard checks this up front). */
export function hasUsableSecret(secret: string | undefined): boolean {
  try {
    masterKeyBytes(secret);
    return true;
  } catch {
    return false;
  }
}

const cache = new Map<string, Promise<CryptoKey>>();

function cached(id: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let key = cache.get(id);
  if (!key) {
    key = make();
    cache.set(id, key);
    key.catch(() => cache.delete(id));
  }
  return key;
}

async function hkdfBase(secret: string | undefined): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', masterKeyBytes(secret), 'HKDF', false, ['deriveKey']);
}

function hkdf(info: string) {
  return { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: new TextEncoder().encode(info) };
}

/** AES-256-GCM key for bot tokens at rest. */
export function tokenEncryptionKey(secret: string | undefined): Promise<CryptoKey> {
  masterKeyBytes(secret);
  return cached(`tokens\u0000${secret}`, async () =>
    crypto.subtle.deriveKey(hkdf(INFO.tokens), await hkdfBase(secret), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']));
}

/** HMAC-SHA256 key for signed media URLs. */
export function mediaSigningKey(secret: string | undefined): Promise<CryptoKey> {
  masterKeyBytes(secret);
  return cached(`media\u0000${secret}`, async () =>
    crypto.subtle.deriveKey(hkdf(INFO.media), await hkdfBase(secret), { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']));
}

/** The raw key tokens were encrypted with before HKDF: read-only, for ciphertexts not yet migrated. */
export function legacyTokenKey(secret: string | undefined): Promise<CryptoKey> {
  const raw = masterKeyBytes(secret);
  return cached(`legacy\u0000${secret}`, () => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']));
}
