/**
 * A user changes their own password: the current one is required (checked under the same throttle as
 * login, so this is no side door for guessing), and every other session of theirs ends.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { users } from '../../data/schema';
import type { SessionUser } from '../access';
import { badRequest, notFound } from '../../shared/errors';
import { accountThrottleKey, throttledCheck } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import { endOtherSessions } from './sessions';

export const MIN_PASSWORD_LENGTH = 8;

export async function changeOwnPassword(
  db: Db,
  user: SessionUser,
  input: { oldPassword: string; newPassword: string },
  currentToken: string | undefined,
  now = Date.now(),
): Promise<void> {
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) throw badRequest('weak_password', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  const row = await db.select({ hash: users.passwordHash, salt: users.passwordSalt }).from(users).where(eq(users.id, user.id)).get();
  if (!row) throw notFound('User');
  const ok = await throttledCheck(db, accountThrottleKey(user.email), () => verifyPassword(input.oldPassword, row), now);
  if (!ok) throw badRequest('wrong_password', 'The current password is wrong');
  const { hash, salt } = await hashPassword(input.newPassword);
  await db.update(users).set({ passwordHash: hash, passwordSalt: salt }).where(eq(users.id, user.id));
  await endOtherSessions(db, user.id, currentToken);
}
