import { describe, expect, it } from 'vitest';
import { splitText } from '../../../worker/messengers/split-text';

const squash = (s: string) => s.replace(/\s+/g, '');

describe('splitText', () => {
  it('returns a text that fits as the only piece', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
    expect(splitText('', 10)).toEqual(['']);
    expect(splitText('x'.repeat(10), 10)).toEqual(['x'.repeat(10)]);
  });

  it('prefers a paragraph break, then a line break, then a space', () => {
    const para = `${'a'.repeat(30)}\n\n${'b'.repeat(30)}`;
    expect(splitText(para, 40)).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
    const line = `${'a'.repeat(20)} aaaa\n${'b'.repeat(30)}`;
    expect(splitText(line, 40)).toEqual([`${'a'.repeat(20)} aaaa`, 'b'.repeat(30)]);
    expect(splitText('one two three four five six', 10)).toEqual(['one two', 'three four', 'five six']);
  });

  it('uses an early boundary rather than cutting a word', () => {
    expect(splitText(`ab ${'c'.repeat(20)}`, 10)).toEqual(['ab', 'c'.repeat(10), 'c'.repeat(10)]);
  });

  it('cuts mid-word only when there is no boundary, and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(10); // 20 UTF-16 units
    const pieces = splitText(emoji, 5);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(5);
      expect(/^(?:[\uD800-\uDBFF][\uDC00-\uDFFF])+$/.test(p)).toBe(true);
    }
    expect(pieces.join('')).toBe(emoji);
  });

  it('never loses content and respects the limit on a long mixed text', () => {
    const words = Array.from({ length: 3000 }, (_, i) => (i % 17 === 0 ? `para${i}\n\n` : i % 7 === 0 ? `line${i}\n` : `wörd${i}🙂 `));
    const text = words.join('') + 'x'.repeat(5000);
    const pieces = splitText(text, 4096);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(4096);
    expect(squash(pieces.join(''))).toBe(squash(text));
  });

  it('rejects a nonsensical limit', () => {
    expect(() => splitText('abc', 0)).toThrow(RangeError);
  });
});
