/**
 * Splits a long outgoing text into pieces a messenger accepts in one send. Lengths are counted in UTF-16
 * code units, which is how Telegram counts (entity offsets use them) and is never less than Viber's count.
 */

// Boundaries we prefer to cut at, best first.
const SEPARATORS = ['\n\n', '\n', ' '] as const;

/**
 * Returns `text` as pieces of at most `max` UTF-16 units. Cuts at a paragraph, then a line, then a space,
 * and only mid-word when a piece has no boundary at all. The one separator at each cut is dropped; no
 * other character is lost, and a surrogate pair (emoji) is never split. A text that fits is returned as
 * the only piece, even when empty.
 */
export function splitText(text: string, max: number): string[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`splitText: max must be an integer >= 2, got ${max}`);
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const { end, skip } = findCut(rest, max);
    const piece = rest.slice(0, end);
    // A piece made only of whitespace would be rejected ("message text is empty") and carries nothing.
    if (piece.trim() !== '') pieces.push(piece);
    rest = rest.slice(end + skip);
  }
  if (rest.trim() !== '' || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Where to end the next piece (`end`) and how many separator units to drop after it (`skip`). */
function findCut(rest: string, max: number): { end: number; skip: number } {
  // A boundary in the second half of the window keeps pieces reasonably full; earlier ones are a fallback.
  for (const minEnd of [Math.floor(max / 2), 1]) {
    for (const sep of SEPARATORS) {
      // The separator itself may sit just past the window: a piece can end exactly at `max`.
      const at = rest.lastIndexOf(sep, max);
      if (at >= minEnd && at <= max) return { end: at, skip: sep.length };
    }
  }
  // No boundary at all: cut mid-word, but never between the two halves of a surrogate pair.
  const high = rest.charCodeAt(max - 1);
  const end = high >= 0xd800 && high <= 0xdbff ? max - 1 : max;
  return { end, skip: 0 };
}
