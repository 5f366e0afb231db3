/**
 * Migration 0045 (issue 19): contact_identities becomes WITHOUT ROWID, keyed (integration_id,
 * external_id), without its id. On a database holding identities in the former layout it keeps every row
 * and the merge guard trigger, and the webhook's writes that named an identity by its id (greeted,
 * reachable again) now find it by its key: the right row changes, no other.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../worker/shared/ids';
import { clientText, ingest, makeIntegration, uniq } from '../../support/factory';

type Row = Record<string, unknown>;
const all = async (sql: string, ...binds: unknown[]) => (await env.DB.prepare(sql).bind(...binds).all<Row>()).results;
const identities = () => all('SELECT contact_id, integration_id, channel, external_id, reachable, greeted_at, created_at FROM contact_identities ORDER BY integration_id, external_id');
const identity = async (integrationId: string, externalId: string) =>
  (await all('SELECT * FROM contact_identities WHERE integration_id = ? AND external_id = ?', integrationId, externalId))[0];

/** contact_identities as migrations up to 0044 left it: a rowid table with an id, its unique key index and the guard of 0012. */
async function restoreFormerLayout() {
  const guard = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0012_'))!.queries.filter((q) => q.includes('contact_identities_merged_contact_guard'));
  expect(guard).toHaveLength(1);
  await env.DB.batch([
    'CREATE TABLE contact_identities_former AS SELECT * FROM contact_identities',
    'DROP TABLE contact_identities',
    `CREATE TABLE contact_identities (id text PRIMARY KEY NOT NULL, contact_id text NOT NULL, integration_id text NOT NULL, channel text NOT NULL, external_id text NOT NULL,
      reachable integer DEFAULT true NOT NULL, greeted_at integer, created_at integer NOT NULL,
      FOREIGN KEY (contact_id) REFERENCES contacts(id) ON UPDATE no action ON DELETE cascade, FOREIGN KEY (integration_id) REFERENCES integrations(id) ON UPDATE no action ON DELETE cascade)`,
    'INSERT INTO contact_identities (id, contact_id, integration_id, channel, external_id, reachable, greeted_at, created_at) SELECT ?1 || rowid, contact_id, integration_id, channel, external_id, reachable, greeted_at, created_at FROM contact_identities_former',
    'DROP TABLE contact_identities_former',
    'CREATE UNIQUE INDEX contact_identities_external ON contact_identities (integration_id, external_id)',
    'CREATE INDEX contact_identities_contact ON contact_identities (contact_id)',
    ...guard,
  ].map((s, i) => (i === 3 ? env.DB.prepare(s).bind(newId()) : env.DB.prepare(s))));
}

describe('migration 0045 on a populated database', () => {
  const clients = [uniq(), uniq(), uniq()];
  let telegram: Awaited<ReturnType<typeof makeIntegration>>;
  let viber: Awaited<ReturnType<typeof makeIntegration>>;

  beforeAll(async () => {
    telegram = await makeIntegration({ greetingText: 'Olá!' });
    viber = await makeIntegration({ channel: 'viber', greetingText: 'Olá!' });
    // The same user ids on both bots: two identities each, told apart by the integration.
    for (const client of clients) {
      await ingest(telegram, clientText(client, 'Oi', { name: `Cliente ${client}` }));
      await ingest(viber, clientText(client, 'Oi', { name: `Cliente ${client}` }));
    }
    await ingest(telegram, clientText(clients[0], '/start', { start: true }));
    await restoreFormerLayout();
  });

  it('keeps every identity, drops the id, and the webhook finds and changes identities by their key', async () => {
    const before = await identities();
    expect(before).toHaveLength(6);
    expect(before.filter((r) => r.greeted_at !== null)).toHaveLength(1);
    expect(Object.keys(await identity(telegram.id, clients[0]))).toContain('id');

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0045_'));
    expect(migration?.name).toBe('0045_contact_identities_without_rowid.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    const [table] = await all(`SELECT sql FROM sqlite_master WHERE name = 'contact_identities'`);
    expect(String(table.sql)).toMatch(/PRIMARY KEY\(`integration_id`, `external_id`\),[\s\S]*\) WITHOUT ROWID$/);
    expect((await all(`SELECT name FROM sqlite_master WHERE tbl_name = 'contact_identities' ORDER BY name`)).map((r) => r.name))
      .toEqual(['contact_identities', 'contact_identities_contact', 'contact_identities_merged_contact_guard']);
    expect(await identities()).toEqual(before);

    // Greeted: a /start to the Viber bot marks that identity only, not the same person's Telegram one.
    const [, second] = clients;
    await ingest(viber, clientText(second, '/start', { start: true }));
    expect((await identity(viber.id, second)).greeted_at).not.toBeNull();
    expect((await identity(telegram.id, second)).greeted_at).toBeNull();

    // Reachable again: a client who had blocked the bot writes again.
    const third = clients[2];
    await env.DB.prepare('UPDATE contact_identities SET reachable = 0 WHERE external_id = ?').bind(third).run();
    await ingest(telegram, clientText(third, 'voltei'));
    expect((await identity(telegram.id, third)).reachable).toBe(1);
    expect((await identity(viber.id, third)).reachable).toBe(0);

    // A known client stays one identity and one contact.
    await ingest(telegram, clientText(clients[0], 'de novo'));
    expect(await identities()).toHaveLength(6);
  });

  it('the merge guard lands an identity written for a merged-away contact on the survivor', async () => {
    const [survivor, merged] = [newId(), newId()];
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, 'Survivor', 1, 1)`).bind(survivor),
      env.DB.prepare(`INSERT INTO contacts (id, name, merged_into_id, created_at, updated_at) VALUES (?, 'Merged', ?, 1, 1)`).bind(merged, survivor),
      env.DB.prepare(`INSERT INTO contact_identities (contact_id, integration_id, channel, external_id, created_at) VALUES (?, ?, 'telegram', 'late', 1)`).bind(merged, telegram.id),
    ]);
    expect((await identity(telegram.id, 'late')).contact_id).toBe(survivor);
  });
});
