/** recordUnprocessable: what an operator gets, and how the table stays bounded by itself. */
import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { unprocessableUpdates } from '../../../worker/data/schema';
import { KEEP_MS, KEEP_ROWS, RAW_KEEP, recordUnprocessable } from '../../../worker/domain/ingest';
import { db, makeIntegration } from '../../support/factory';

const rowsOf = (integrationId: string) =>
  db().select().from(unprocessableUpdates).where(eq(unprocessableUpdates.integrationId, integrationId)).orderBy(desc(unprocessableUpdates.receivedAt)).all();

describe('recordUnprocessable', () => {
  it('keeps the reason and the body, cut at RAW_KEEP characters with its full size in bytes', async () => {
    const integration = await makeIntegration({ channel: 'viber' });
    const big = `{"event":"message","text":"${'é'.repeat(RAW_KEEP)}"}`;
    await recordUnprocessable(db(), integration, 'sender.name: expected string', big, Date.now());
    const [row] = await rowsOf(integration.id);
    expect(row).toMatchObject({ channel: 'viber', reason: 'sender.name: expected string', rawBody: big.slice(0, RAW_KEEP) });
    expect(row!.rawSize).toBe(new TextEncoder().encode(big).length);
  });

  it(`keeps the newest ${KEEP_ROWS} rows of an integration and none older than KEEP_MS`, async () => {
    const integration = await makeIntegration();
    const other = await makeIntegration();
    const t0 = Date.now() - KEEP_MS - 1000;
    await recordUnprocessable(db(), other, 'old, other bot', '{}', t0);
    await recordUnprocessable(db(), integration, 'old', '{}', t0);
    for (let i = 0; i < KEEP_ROWS + 5; i++) await recordUnprocessable(db(), integration, `n${i}`, '{}', Date.now() + i);
    const rows = await rowsOf(integration.id);
    expect(rows).toHaveLength(KEEP_ROWS);
    expect(rows[0]!.reason).toBe(`n${KEEP_ROWS + 4}`);
    expect(rows.at(-1)!.reason).toBe('n5');
    // Another integration's rows are its own business.
    expect(await rowsOf(other.id)).toHaveLength(1);
  });
});
