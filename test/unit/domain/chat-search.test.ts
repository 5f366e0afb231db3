import { beforeAll, describe, expect, it } from 'vitest';
import { chatTextMatch, ftsTerms, nameMatch, textMatch } from '../../../worker/data/fts-query';
import { partsToHtml, snippetParts } from '../../../worker/data/history-search';
import { searchHistory } from '../../../worker/domain/chats';
import type { SessionUser } from '../../../worker/domain/access';
import { makeChat } from '../../support/chat-world';
import { db, makeIntegration, makeUser } from '../../support/factory';

describe('FTS query building', () => {
  it('keeps only words, quotes each, makes the last a prefix', () => {
    expect(ftsTerms('sofá azul')).toBe('"sofá" "azul"*');
    expect(ftsTerms('"unterminated')).toBe('"unterminated"*');
    // Operators become literal words; at most eight words are kept.
    expect(ftsTerms('a AND b OR NOT c NEAR(d) e* -f ^g chat_id:xyz')).toBe('"a" "AND" "b" "OR" "NOT" "c" "NEAR" "d"*');
    expect(ftsTerms('-f ^g chat_id:xyz')).toBe('"f" "g" "chat" "id" "xyz"*');
    expect(ftsTerms('!!! ... "')).toBeNull();
    expect(ftsTerms('')).toBeNull();
  });

  it('decomposed accents stay inside their word', () => {
    expect(ftsTerms('sofa\u0301 cama')).toBe('"sofá" "cama"*');
  });

  it('scopes to one chat and one column', () => {
    expect(chatTextMatch('abc123', 'sofa')).toBe('chat_id : "abc123" AND text : ("sofa"*)');
    expect(chatTextMatch('abc"; drop', 'sofa')).toBeNull();
    expect(textMatch('sofa')).toBe('text : ("sofa"*)');
    expect(nameMatch('joao')).toBe('name : ("joao"*)');
  });

  it('snippet markers become parts and escaped HTML', () => {
    const parts = snippetParts('Quero um \u0002sofá\u0003 <b>azul</b> e \u0002sofa\u0003');
    expect(parts).toEqual([
      { text: 'Quero um ', match: false }, { text: 'sofá', match: true }, { text: ' <b>azul</b> e ', match: false }, { text: 'sofa', match: true },
    ]);
    expect(partsToHtml(parts)).toBe('Quero um <mark>sofá</mark> &lt;b&gt;azul&lt;/b&gt; e <mark>sofa</mark>');
  });
});

describe('searchHistory', () => {
  let user: SessionUser;
  let chatId: string;
  let otherChatId: string;

  beforeAll(async () => {
    user = await makeUser('employee');
    const integration = await makeIntegration();
    chatId = (await makeChat({
      integration, at: Date.UTC(2025, 0, 1),
      texts: ['Quero um sofá azul', 'O SOFÁ chegou?', 'Prefiro a mesa', 'sofa-cama <script>alert(1)</script>', 'Obrigado', 'O sofá é de couro?'],
    })).chatId;
    otherChatId = (await makeChat({ integration, texts: ['Também quero um sofá'] })).chatId;
  });

  const texts = async (q: string, id = chatId) => (await searchHistory(db(), user, id, q, undefined, 50)).items.map((i) => i.text);

  it('finds accented words from unaccented queries, any case, newest first, only in this chat', async () => {
    expect(await texts('sofa')).toEqual(['O sofá é de couro?', 'sofa-cama <script>alert(1)</script>', 'O SOFÁ chegou?', 'Quero um sofá azul']);
    expect(await texts('SOFÁ')).toHaveLength(4);
    expect(await texts('sofa', otherChatId)).toEqual(['Também quero um sofá']);
  });

  it('matches the last word as a prefix, all words together', async () => {
    expect(await texts('sof')).toHaveLength(4);
    expect(await texts('sofa azu')).toEqual(['Quero um sofá azul']);
    expect(await texts('sofa mesa')).toEqual([]);
  });

  it('returns the matched excerpt, escaped, with marks', async () => {
    const [hit] = (await searchHistory(db(), user, chatId, 'cama', undefined, 10)).items;
    expect(hit.snippet).toBe('sofa-<mark>cama</mark> &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hit.parts).toContainEqual({ text: 'cama', match: true });
    expect(hit).toMatchObject({ direction: 'in', authorId: null });
  });

  it('never lets user input break the MATCH syntax', async () => {
    for (const q of ['"', 'sofá"', 'AND', 'NEAR(', '*', 'chat_id:x', '-sofa', 'sofa OR mesa', '(((', "'; DROP TABLE messages; --", '^']) {
      await expect(searchHistory(db(), user, chatId, q, undefined, 10), q).resolves.toBeDefined();
    }
    expect(await texts('-sofa')).toHaveLength(4);
    expect(await texts('sofa OR mesa')).toEqual([]);
  });

  it('pages newest first with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchHistory(db(), user, chatId, 'sofa', cursor, 3);
      seen.push(...page.items.map((i) => i.text));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(await texts('sofa'));
  });
});
