/**
 * SQL that creates a user, hashed exactly as worker/domain/passwords.ts does (PBKDF2-SHA256, 100k
 * iterations, per-user salt). Used where no admin exists yet to call the API: the demo seed and the
 * first admin of a fresh production database.
 */
import { webcrypto as crypto } from 'node:crypto';

const ITERATIONS = 100_000;
const hex = (bytes) => Buffer.from(bytes).toString('hex');

export async function hashPassword(password) {
  const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode(salt), iterations: ITERATIONS }, key, 256);
  return { hash: `pbkdf2-sha256$${ITERATIONS}$${hex(new Uint8Array(bits))}`, salt };
}

/**
 * Same shape as worker/shared/ids.ts newShortId() (people's ids): 6 base36 digits of seconds since 2026,
 * one of sequence (`sequence`: users written in one go are told apart by it), 2 random.
 */
export function newShortId(now = Date.now(), sequence = 0) {
  const second = Math.max(0, Math.floor((now - Date.UTC(2026, 0, 1)) / 1000)) + Math.floor(sequence / 36);
  const rand = Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) => (b % 36).toString(36)).join('');
  return second.toString(36).padStart(6, '0') + (sequence % 36).toString(36) + rand;
}

const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** An INSERT for one user; `ON CONFLICT DO NOTHING` keeps re-runs harmless. */
export async function insertUserSql({ email, name, role, password }, sequence = 0) {
  const { hash, salt } = await hashPassword(password);
  const cols = [newShortId(Date.now(), sequence), email.trim().toLowerCase(), name, role, 1, hash, salt, 1, Date.now()].map((v) => (typeof v === 'number' ? v : quote(v)));
  return `INSERT INTO users (id, email, name, role, active, password_hash, password_salt, version, created_at) VALUES (${cols.join(', ')}) ON CONFLICT(email) DO NOTHING;`;
}
