/**
 * History search over archived messages, which FTS no longer indexes: the same rules as the D1 search
 * (fts-query.ts and the unicode61 tokenizer with remove_diacritics): every word must be a word of the
 * text, ignoring case and accents, the last one as a prefix. The snippet is cut like snippet() does it:
 * about 16 words around the first match, with the matched words marked.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MAX_TERMS = 8;
const SNIPPET_WORDS = 16;

export type SnippetPart = { text: string; match: boolean };

const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The folded words of a query, or null when it has none (it then matches nothing, as in D1). */
export function queryTerms(q: string): string[] | null {
  const words = (q.normalize('NFC').match(WORD) ?? []).slice(0, MAX_TERMS).map(fold).filter(Boolean);
  return words.length ? words : null;
}

/** The snippet parts when `text` matches every term, else null. */
export function matchArchivedText(text: string, terms: string[]): SnippetPart[] | null {
  const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) }));
  const exact = new Set(terms.slice(0, -1));
  const prefix = terms[terms.length - 1];
  const hit = (w: string) => exact.has(w) || w.startsWith(prefix);
  for (const [i, term] of terms.entries()) {
    const last = i === terms.length - 1;
    if (!words.some((w) => (last ? w.folded.startsWith(term) : w.folded === term))) return null;
  }
  const firstHit = Math.max(0, words.findIndex((w) => hit(w.folded)));
  const from = Math.max(0, Math.min(firstHit - 4, words.length - SNIPPET_WORDS));
  const shown = words.slice(from, from + SNIPPET_WORDS);
  const parts: SnippetPart[] = [];
  const push = (s: string, match: boolean) => {
    if (!s) return;
    const prev = parts[parts.length - 1];
    if (prev && prev.match === match && !match) prev.text += s;
    else parts.push({ text: s, match });
  };
  if (from > 0) push('…', false);
  let at = from > 0 ? shown[0].start : 0;
  for (const w of shown) {
    push(text.slice(at, w.start), false);
    push(text.slice(w.start, w.end), hit(w.folded));
    at = w.end;
  }
  const end = from + SNIPPET_WORDS < words.length ? shown[shown.length - 1].end : text.length;
  push(text.slice(at, end), false);
  if (end < text.length) push('…', false);
  return parts;
}
