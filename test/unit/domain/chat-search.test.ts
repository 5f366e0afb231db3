import { env } from 'cloudflare:workers';
import fc from 'fast-check';
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
    expect(ftsTerms('x\u0300y')).toBe('"xy"*');
  });

  it('quotes only what the tokenizer reads as one token: other marks and its separators split a word', () => {
    // Devanagari vowel signs (Mn, Mc), an enclosing mark, a New Tai Lue vowel (a letter today, not in 6.1).
    expect(ftsTerms('कि\u0903ख')).toBe('"क" "ख"*');
    expect(ftsTerms('a\u20ddb')).toBe('"a" "b"*');
    expect(ftsTerms('ᦀ\u19b0ᦁ')).toBe('"ᦀ" "ᦁ"*');
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

/**
 * The message index keeps no positions (detail=column): a quoted term the tokenizer splits in two is a
 * phrase, which such an index refuses with an error. Whatever a person types, the searches must run.
 */
describe('search input against the message index itself', () => {
  const tricky = ['कि', 'क\u0903ख', 'a\u20ddb', 'ᦀ\u19b0ᦁ', '\u1cf2x', 'sofa\u0301', 'x\u0305y', 'a\u0488b', '🙂sofá', 'a_b', 'ⅻ', 'a²b', '\ue000x'];
  const run = (match: string | null) => match === null ? Promise.resolve() : env.DB.prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?').bind(match).first();

  it('runs every tricky word, in a chat and across chats', async () => {
    for (const q of tricky) {
      await expect(run(textMatch(q)), q).resolves.not.toThrow();
      await expect(run(chatTextMatch('abc123', `${q} ${q}`)), q).resolves.not.toThrow();
    }
  });

  it('runs any text at all', async () => {
    const word = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...tricky));
    await fc.assert(fc.asyncProperty(fc.array(word, { maxLength: 4 }).map((ws) => ws.join(' ')), async (q) => {
      await run(textMatch(q));
      await run(chatTextMatch('abc123', q));
    }), { numRuns: 300 });
  });
});
