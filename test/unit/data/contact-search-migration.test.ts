/**
 * Migration 0044 (issue 19): the Contacts page's search index becomes contentless (no copy of the
 * contacts, no token counts, no positions) and the archive's name index loses its token counts and
 * positions. On a database in the former layout, every directory and archive search answers exactly as
 * before; afterwards the contentless index follows edits, merges and deletes, which it can only do if its
 * triggers hand it back exactly the values it was given (a mismatch would leave the old words matching).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../worker/domain/access';
import { listArchive } from '../../../worker/domain/chats';
import { mergeContacts, searchContacts, updateContact } from '../../../worker/domain/crm';
import { clientText, db, ingest, makeIntegration, makeUser, uniq } from '../../support/factory';

type Row = Record<string, unknown>;
const all = async (sql: string) => (await env.DB.prepare(sql).all<Row>()).results;
const schemaOf = async (name: string) => String((await all(`SELECT sql FROM sqlite_master WHERE name = '${name}'`))[0]?.sql);

/** The two indexes as migrations 0003 and 0012 made them, rebuilt from the contacts. */
async function toFormerLayout() {
  const former = (prefix: string) => env.TEST_MIGRATIONS.find((m) => m.name.startsWith(prefix))!.queries;
  const directory = former('0012_').filter((q) => q.includes('contacts_directory'));
  const names = former('0003_').filter((q) => /^\s*(CREATE VIRTUAL TABLE|INSERT INTO `contacts_fts`\(`contacts_fts`\))/.test(q));
  expect(directory).toHaveLength(5);
  expect(names).toHaveLength(2);
  await env.DB.batch([
    'DROP TRIGGER contacts_directory_insert', 'DROP TRIGGER contacts_directory_delete', 'DROP TRIGGER contacts_directory_update',
    'DROP TABLE contacts_directory_fts', 'DROP TABLE contacts_fts', ...directory, ...names,
  ].map((q) => env.DB.prepare(q)));
}

const NAMES = ['João Silva', 'Joana Sá', 'Maria Ângela', 'Zé do Açaí', 'Ana Paula'];
const QUERIES = ['jo', 'joao silva', 'SÁ', 'angela', 'acai', '5511', '98888', '+55 (11)', 'example', 'acme', 'ana', 'nada'];

describe('migration 0044 on a populated database', () => {
  let admin: SessionUser;
  let contactIds: string[] = [];

  const answers = async () => ({
    directory: await Promise.all(QUERIES.map((q) => searchContacts(db(), { q, limit: 2 }).then(async (first) => [first, first.nextCursor ? await searchContacts(db(), { q, cursor: first.nextCursor, limit: 2 }) : null]))),
    archive: await Promise.all(QUERIES.map((q) => listArchive(db(), admin, { q }, undefined, 20))),
  });
  const found = async (q: string) => (await searchContacts(db(), { q, limit: 100 })).items.map((c) => c.id);

  beforeAll(async () => {
    admin = await makeUser('admin');
    const integration = await makeIntegration();
    for (const [i, name] of NAMES.entries()) {
      const client = uniq();
      await ingest(integration, clientText(client, `mensagem ${i}`, { name }));
      const [row] = await all(`SELECT contact_id FROM chats WHERE integration_id = '${integration.id}' AND external_chat_id = '${client}'`);
      const id = String(row.contact_id);
      contactIds.push(id);
      if (i % 2 === 0) await updateContact({ db: db() }, id, { phone: `+55 11 98888-000${i}`, email: `c${i}@example.com`, company: i === 0 ? 'ACME Ltda' : null });
    }
    // Each chat closed, so the archive's search (which matches contact names through contacts_fts) lists it.
    await env.DB.prepare(`UPDATE chats SET status = 'closed', closed_at = last_message_at WHERE integration_id = ?`).bind(integration.id).run();
    await toFormerLayout();
  });

  it('answers every directory and archive search as the former indexes did', async () => {
    expect(await schemaOf('contacts_directory_fts')).not.toMatch(/content=''/);
    const before = await answers();
    // Something to compare: most searches find contacts, pages follow, the archive finds names.
    expect(before.directory.filter(([first]) => first!.items.length > 0).length).toBeGreaterThan(QUERIES.length / 2);
    expect(before.directory.some(([, second]) => second !== null)).toBe(true);
    expect(before.archive.filter((a) => a.items.length > 0).length).toBeGreaterThan(2);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0044_'));
    expect(migration?.name).toBe('0044_compact_contact_search.sql');
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));

    expect(await schemaOf('contacts_directory_fts')).toMatch(/content='', columnsize=0, detail=none/);
    expect(await schemaOf('contacts_fts')).toMatch(/columnsize=0, detail=column/);
    expect(await answers()).toEqual(before);
    for (const table of ['contacts_directory_fts', 'contacts_fts']) {
      await env.DB.prepare(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`).run();
    }
  });

  it('the contentless index forgets a contact\'s old words on an edit, a merge and a delete', async () => {
    const [joao, joana, maria] = contactIds;
    expect(await found('98888-0000')).toContain(joao);
    await updateContact({ db: db() }, joao, { name: 'Jorge Lima', phone: '+351 912 000 111', email: null, company: 'Outra' });
    expect(await found('joao')).not.toContain(joao);
    expect(await found('98888')).not.toContain(joao);
    expect(await found('acme')).not.toContain(joao);
    expect(await found('c0@example.com')).not.toContain(joao);
    expect(await found('jorge lima')).toEqual([joao]);
    expect(await found('351912')).toEqual([joao]);
    expect(await found('outra')).toEqual([joao]);

    // A merge keeps the merged-away contact's row (and its words) but lists only the survivor.
    await mergeContacts({ db: db() }, admin, maria, joana);
    expect(await found('joana')).toEqual([]);
    expect(await found('maria')).toEqual([maria]);

    // Nothing in the app deletes a contact; the trigger still has to keep the index honest if one goes.
    const gone = `gone${uniq()}`;
    await env.DB.prepare(`INSERT INTO contacts (id, name, phone, email, created_at, updated_at) VALUES (?, 'Efêmero Souza', '+1 (555) 010-9999', 'e@gone.test', 1, 1)`).bind(gone).run();
    expect(await found('efemero')).toEqual([gone]);
    await env.DB.prepare('DELETE FROM contacts WHERE id = ?').bind(gone).run();
    for (const q of ['efemero', 'souza', '5550109999', 'gone']) expect(await found(q)).toEqual([]);

    // No word of an old value is left behind: the index holds exactly the tokens of the rows there are.
    const tokens = async () => (await all(`SELECT count(*) AS n FROM contacts_directory_fts WHERE contacts_directory_fts MATCH '"joao"* OR "acme"* OR "efemero"*'`))[0].n;
    expect(await tokens()).toBe(0);
    await env.DB.prepare(`INSERT INTO contacts_directory_fts(contacts_directory_fts) VALUES ('integrity-check')`).run();
  });
});
