/**
 * People and bots get 9-character ids (newShortId): two isolates can make the same one in the same
 * second, so the insert takes another instead of failing. Here the id createUser is about to make is
 * taken first (the random part pinned, so the next id is known). And a request racing another for the
 * same email gets the 409 the check gives, not a constraint error.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../../worker/domain/accounts';
import { users } from '../../../worker/data/schema';
import { newShortId } from '../../../worker/shared/ids';
import { db, uniq } from '../../support/factory';

afterEach(() => { vi.restoreAllMocks(); });

describe('createUser under a short id', () => {
  it('makes a 9-character id', async () => {
    const user = await createUser(db(), { email: `${uniq()}@example.com`, name: 'Bia', role: 'employee', password: 'secret-pass' });
    expect(user.id).toMatch(/^[0-9a-z]{9}$/);
    expect((await db().select().from(users).where(eq(users.id, user.id)).get())?.email).toBe(user.email);
  });

  it('takes another id when the one it made is already taken', async () => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(0);
      return array;
    });
    const at = Date.UTC(2027, 2, 3, 4, 5, 6);
    const probe = newShortId(at);
    const next = probe.slice(0, 6) + (parseInt(probe[6], 36) + 1).toString(36) + '00';
    await env.DB.prepare(`INSERT INTO users (id, email, name, role, password_hash, password_salt, created_at) VALUES (?, ?, 'Taken', 'employee', 'x', 'x', 1)`)
      .bind(next, `${uniq()}@example.com`).run();

    const user = await createUser(db(), { email: `${uniq()}@example.com`, name: 'Caio', role: 'employee', password: 'secret-pass' }, at);
    expect(user.id).not.toBe(next);
    expect(user.id).toMatch(/^[0-9a-z]{9}$/);
    const rows = await db().select({ id: users.id, name: users.name }).from(users).where(eq(users.name, 'Caio')).all();
    expect(rows).toEqual([{ id: user.id, name: 'Caio' }]);
    expect((await db().select({ name: users.name }).from(users).where(eq(users.id, next)).get())?.name).toBe('Taken');
  });
});

describe('createUser racing another request for the same email', () => {
  it('answers 409 email_taken, not a constraint error, when the email is taken after its check', async () => {
    const email = `${uniq()}@example.com`;
    const real = db();
    // The other request's insert lands between this one's check and its insert.
    const racing = new Proxy(real, {
      get(target, key, receiver) {
        if (key !== 'insert') return Reflect.get(target, key, receiver);
        return (table: typeof users) => {
          const insert = target.insert(table);
          return { values: (row: typeof users.$inferInsert) => {
            const builder = insert.values(row);
            return { onConflictDoNothing: () => ({ returning: async (fields: Parameters<typeof builder.returning>[0]) => {
              await env.DB.prepare(`INSERT INTO users (id, email, name, role, password_hash, password_salt, created_at) VALUES (?, ?, 'First', 'employee', 'x', 'x', 1)`)
                .bind(`r${uniq()}`.slice(0, 12), email).run();
              return builder.onConflictDoNothing().returning(fields!);
            } }) };
          } };
        };
      },
    });
    await expect(createUser(racing, { email, name: 'Second', role: 'employee', password: 'secret-pass' })).rejects.toMatchObject({ status: 409, code: 'email_taken' });
    expect((await db().select({ name: users.name }).from(users).where(eq(users.email, email)).all()).map((u) => u.name)).toEqual(['First']);
  });
});
