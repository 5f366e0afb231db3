/** Small WebCrypto helpers shared by the adapters (they run unchanged in workerd and Node 20). */

const encoder = new TextEncoder();

/**
 * Compares two strings without an early exit, so the time taken does not reveal how many leading bytes
 * of a secret an attacker guessed. A length mismatch returns false (lengths are not secret here).
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** Bounded per-isolate memo: a webhook's keys and secrets repeat on every request of one bot. */
function memo<V>(max: number) {
  const kept = new Map<string, V>();
  return {
    get: (k: string) => kept.get(k),
    set(k: string, v: V) {
      if (kept.size >= max) kept.clear();
      kept.set(k, v);
    },
  };
}

// Importing a key is a WebCrypto round of its own: once per bot token and isolate, not per webhook.
const hmacKeys = memo<Promise<CryptoKey>>(1000);

/** Lowercase hex HMAC-SHA256 of the UTF-8 bytes of `message`, keyed with the UTF-8 bytes of `key`. */
export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  let cryptoKey = hmacKeys.get(key);
  if (!cryptoKey) {
    cryptoKey = crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    hmacKeys.set(key, cryptoKey);
  }
  const mac = await crypto.subtle.sign('HMAC', await cryptoKey, encoder.encode(message));
  return toHex(new Uint8Array(mac));
}

const STORED_PREFIX = 'sha256:';

/**
 * What is stored for a webhook secret: `sha256:<hex>` of it, so a leaked database row does not let
 * anyone forge webhooks (the secret itself is 32+ random characters, so a plain hash is enough).
 */
export async function hashWebhookSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(secret));
  return STORED_PREFIX + toHex(new Uint8Array(digest));
}

/** True for a stored webhook secret from before hashing (still the secret itself). */
export function isPlainStoredSecret(stored: string): boolean {
  return stored !== '' && !stored.startsWith(STORED_PREFIX);
}

/**
 * Whether the secret a request carries matches the stored one, in constant time. Rows not yet migrated
 * hold the plain secret (the hourly cleanup hashes them). An empty stored secret matches nothing.
 */
export async function matchesStoredSecret(given: string, stored: string): Promise<boolean> {
  if (stored === '') return false;
  if (isPlainStoredSecret(stored)) return timingSafeEqualStrings(given, stored);
  // The secret that last matched this hash, kept by the isolate: the same constant-time answer without
  // hashing again (the header is the same on every update of a bot).
  const known = matchedSecrets.get(stored);
  if (known !== undefined && timingSafeEqualStrings(given, known)) return true;
  const matches = timingSafeEqualStrings(await hashWebhookSecret(given), stored);
  if (matches) matchedSecrets.set(stored, given);
  return matches;
}

const matchedSecrets = memo<string>(1000);

/** `bytes` random bytes from the CSPRNG as lowercase hex (2 chars per byte). */
export function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
