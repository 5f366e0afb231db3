/**
 * Turns what a person typed into a safe FTS5 MATCH expression. Raw input in MATCH is a syntax hazard
 * (`"` raises "unterminated string", `-`/`:`/`*`/AND/NEAR change meaning), so only the words are kept,
 * each quoted as a literal; the last word is a prefix ("sof" finds "sofá" while typing). Accents and
 * case are the tokenizer's job (unicode61 remove_diacritics 2).
 */
const MAX_TERMS = 8;

/** `"w1" "w2"*` (implicit AND), or null when the input has no words at all. */
export function ftsTerms(input: string): string | null {
  const words = (input.normalize('NFC').match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).slice(0, MAX_TERMS);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Message text of one chat: the chat_id column filter keeps the search inside the FTS index. */
export function chatTextMatch(chatId: string, input: string): string | null {
  const terms = ftsTerms(input);
  if (!terms || !/^[0-9a-z]+$/.test(chatId)) return null;
  return `chat_id : "${chatId}" AND text : (${terms})`;
}

/** Message text in any chat (never the chat_id column, which would match ids). */
export function textMatch(input: string): string | null {
  const terms = ftsTerms(input);
  return terms && `text : (${terms})`;
}

/** Contact names (contacts_fts). */
export function nameMatch(input: string): string | null {
  const terms = ftsTerms(input);
  return terms && `name : (${terms})`;
}
