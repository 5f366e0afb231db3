/**
 * Password hashing with PBKDF2-SHA256 from WebCrypto and a per-user random salt. 100k iterations is
 * the most workerd allows; the hash format records it so it can be raised later.
 */
const ITERATIONS = 100_000;
const encoder = new TextEncoder();

export interface PasswordHash {
  hash: string;
  salt: string;
}

/** Hashes a new password with a fresh salt. */
export async function hashPassword(password: string, iterations = ITERATIONS): Promise<PasswordHash> {
  const salt = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return { hash: `pbkdf2-sha256$${iterations}$${await derive(password, salt, iterations)}`, salt };
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const [scheme, iterText, expected] = stored.hash.split('$');
  if (scheme !== 'pbkdf2-sha256' || !expected) return false;
  const actual = await derive(password, stored.salt, Number(iterText));
  return timingSafeEqualText(actual, expected);
}

async function derive(password: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(salt), iterations }, key, 256);
  return toHex(new Uint8Array(bits));
}

/** Equal-length strings compared without an early exit. */
export function timingSafeEqualText(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}
