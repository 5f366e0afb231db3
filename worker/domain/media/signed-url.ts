/**
 * Signed, expiring URLs for our R2 files, handed to messengers so they can download a manager's
 * attachment (`{PUBLIC_URL}/media/<key>?exp=<ms>&sig=<hmac>`). Nobody else can list or guess them.
 * The MAC key is derived from ENCRYPTION_KEY for this purpose only (domain/keys); without a usable
 * ENCRYPTION_KEY signing and verifying throw MissingSecretError rather than use a key anyone knows.
 */
import { hmacSha256Hex, timingSafeEqualStrings } from '../../messengers/crypto';
import { masterKeyBytes, mediaSigningKey } from '../keys';
import { clock } from '../runtime';

/** Messengers may fetch late (Viber clients download when the message is opened), so links live a week. */
export const MEDIA_URL_TTL_MS = 7 * 24 * 3600 * 1000;

export interface MediaUrlConfig {
  publicUrl: string;
  /** ENCRYPTION_KEY (the signing key is derived from it). */
  secret: string | undefined;
  now?: () => number;
}

async function mac(secret: string | undefined, key: string, exp: number): Promise<string> {
  const sig = await crypto.subtle.sign('HMAC', await mediaSigningKey(secret), new TextEncoder().encode(`${key}:${exp}`));
  let hex = '';
  for (const b of new Uint8Array(sig)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Links handed out before the derived key (HMAC keyed by a label and the secret) stay valid until they
 * expire, at most MEDIA_URL_TTL_MS after the deploy; only with a real key, never without one.
 */
function legacyMac(secret: string | undefined, key: string, exp: number): Promise<string> {
  masterKeyBytes(secret);
  return hmacSha256Hex(`media-url:${secret}`, `${key}:${exp}`);
}

/** A URL for `key` that a messenger can fetch without a session until it expires. */
export async function signedMediaUrl(cfg: MediaUrlConfig, key: string): Promise<string> {
  const exp = clock(cfg) + MEDIA_URL_TTL_MS;
  const base = cfg.publicUrl.replace(/\/+$/, '');
  return `${base}/media/${encodeURIComponent(key)}?exp=${exp}&sig=${await mac(cfg.secret, key, exp)}`;
}

/** True when `sig` was made by `signedMediaUrl` for this key and `exp` has not passed. Constant-time. */
export async function verifyMediaSignature(secret: string | undefined, key: string, exp: string | undefined, sig: string | undefined, now = Date.now()): Promise<boolean> {
  masterKeyBytes(secret);
  if (!exp || !sig || !/^\d{1,15}$/.test(exp) || Number(exp) < now) return false;
  const given = sig.toLowerCase();
  const current = timingSafeEqualStrings(given, await mac(secret, key, Number(exp)));
  const legacy = timingSafeEqualStrings(given, await legacyMac(secret, key, Number(exp)));
  return current || legacy;
}
