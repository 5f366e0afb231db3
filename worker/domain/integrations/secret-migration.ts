/**
 * Brings stored integration secrets to the current format, a few rows per run of the hourly cleanup:
 * bot tokens still under the raw ENCRYPTION_KEY are re-encrypted under the derived key, and webhook
 * secrets still stored in the clear are replaced by their hash. Until a row's turn comes both old
 * formats are still read (token-vault.ts, messengers/crypto.ts), so nothing breaks in between.
 */
import { and, eq, like, ne, not, or } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { integrations } from '../../data/schema';
import { hashWebhookSecret, isPlainStoredSecret } from '../../messengers/crypto';
import { decryptToken, encryptToken, isLegacyCiphertext } from './token-vault';

export async function migrateIntegrationSecrets(db: Db, encryptionKey: string | undefined, limit = 50): Promise<number> {
  const rows = await db
    .select({ id: integrations.id, tokenEncrypted: integrations.tokenEncrypted, webhookSecret: integrations.webhookSecret })
    .from(integrations)
    .where(or(
      and(ne(integrations.tokenEncrypted, ''), not(like(integrations.tokenEncrypted, 'v2.%'))),
      and(ne(integrations.webhookSecret, ''), not(like(integrations.webhookSecret, 'sha256:%'))),
    ))
    .limit(limit)
    .all();
  let migrated = 0;
  for (const row of rows) {
    const set: Partial<typeof integrations.$inferInsert> = {};
    if (isLegacyCiphertext(row.tokenEncrypted)) set.tokenEncrypted = await encryptToken(encryptionKey, await decryptToken(encryptionKey, row.tokenEncrypted));
    if (isPlainStoredSecret(row.webhookSecret)) set.webhookSecret = await hashWebhookSecret(row.webhookSecret);
    // Guarded by the old values: a reconnect that wrote new ones in the meantime wins.
    const done = await db.update(integrations).set(set)
      .where(and(eq(integrations.id, row.id), eq(integrations.tokenEncrypted, row.tokenEncrypted), eq(integrations.webhookSecret, row.webhookSecret)))
      .returning({ id: integrations.id });
    migrated += done.length;
  }
  return migrated;
}
