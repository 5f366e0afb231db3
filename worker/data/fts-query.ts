/**
 * Turns what a person typed into a safe FTS5 MATCH expression. Raw input in MATCH is a syntax hazard
 * (`"` raises "unterminated string", `-`/`:`/`*`/AND/NEAR change meaning), so only the words are kept,
 * each quoted as a literal; the last word is a prefix ("sof" finds "sofá" while typing). Accents and
 * case are the tokenizer's job (unicode61 remove_diacritics 2).
 */
const MAX_TERMS = 8;

/**
 * Each quoted term must be exactly one token of the unicode61 tokenizer: the message index keeps no
 * positions (detail=column, migration 0040), so a quoted string of two tokens — a phrase — is an error
 * there, not a narrower search. The tokenizer's token characters are letters, digits and private-use
 * characters by its Unicode 6.1 tables (checked against every code point): combining diacritics are
 * folded away inside a word, every other mark splits it, and the few letters Unicode made letters
 * after 6.1 (New Tai Lue vowel signs, two Vedic signs) are still separators to it.
 */
const FOLDED_DIACRITICS = /[\u0300-\u036f]/g;
const SEPARATORS_TO_TOKENIZER = /[\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3]/g;
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/** `"w1" "w2"*` (implicit AND), or null when the input has no words at all. */
export function ftsTerms(input: string): string | null {
  const text = input.normalize('NFC').replace(FOLDED_DIACRITICS, '').replace(SEPARATORS_TO_TOKENIZER, ' ');
  const words = (text.match(TOKEN) ?? []).slice(0, MAX_TERMS);
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
