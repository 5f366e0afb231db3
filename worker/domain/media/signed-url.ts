/**
 * Signed, expiring URLs for our R2 files, handed to messengers so they can download a manager's
 * attachment (`{PUBLIC_URL}/media/<key>?exp=<ms>&sig=<hmac>`). Nobody else can list or guess them.
 */
import { hmacSha256Hex, timingSafeEqualStrings } from '../../messengers/crypto';

/** Messengers may fetch late (Viber clients download when the message is opened), so links live a week. */
export const MEDIA_URL_TTL_MS = 7 * 24 * 3600 * 1000;

export interface MediaUrlConfig {
  publicUrl: string;
  /** ENCRYPTION_KEY; a purpose label keeps these MACs apart from any other use of the key. */
  secret: string;
  now?: () => number;
}

function mac(secret: string, key: string, exp: number): Promise<string> {
  return hmacSha256Hex(`media-url:${secret}`, `${key}:${exp}`);
}

/** A URL for `key` that a messenger can fetch without a session until it expires. */
export async function signedMediaUrl(cfg: MediaUrlConfig, key: string): Promise<string> {
  const exp = (cfg.now ? cfg.now() : Date.now()) + MEDIA_URL_TTL_MS;
  const base = cfg.publicUrl.replace(/\/+$/, '');
  return `${base}/media/${encodeURIComponent(key)}?exp=${exp}&sig=${await mac(cfg.secret, key, exp)}`;
}

/** True when `sig` was made by `signedMediaUrl` for this key and `exp` has not passed. Constant-time. */
export async function verifyMediaSignature(secret: string, key: string, exp: string | undefined, sig: string | undefined, now = Date.now()): Promise<boolean> {
  if (!exp || !sig || !/^\d{1,15}$/.test(exp) || Number(exp) < now) return false;
  return timingSafeEqualStrings(sig.toLowerCase(), await mac(secret, key, Number(exp)));
}
