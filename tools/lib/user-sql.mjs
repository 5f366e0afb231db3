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

/** Same shape as worker/shared/ids.ts newId(): time-ordered, [0-9a-z], 15 characters. */
export function newId(now = Date.now()) {
  const rand = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => (b % 36).toString(36)).join('');
  return now.toString(36).padStart(8, '0') + '0' + rand;
}

const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** An INSERT for one user; `ON CONFLICT DO NOTHING` keeps re-runs harmless. */
export async function insertUserSql({ email, name, role, password }) {
  const { hash, salt } = await hashPassword(password);
  const cols = [newId(), email.trim().toLowerCase(), name, role, 1, hash, salt, 1, Date.now()].map((v) => (typeof v === 'number' ? v : quote(v)));
  return `INSERT INTO users (id, email, name, role, active, password_hash, password_salt, version, created_at) VALUES (${cols.join(', ')}) ON CONFLICT(email) DO NOTHING;`;
}
