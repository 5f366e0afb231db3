import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../worker/shared/ids';

/** The shape every id had before 2026-12 ('0' + 8 time digits, 3 of sequence, 9 random): rows keep them. */
const formerId = (ms: number) => ms.toString(36).padStart(9, '0') + '000' + 'abcdefghi';

describe('newId', () => {
  it('is 15 characters of [0-9a-z], one FTS token', () => {
    for (let i = 0; i < 200; i++) expect(newId()).toMatch(/^[0-9a-z]{15}$/);
  });

  it('sorts as the times it was made at, within a millisecond too', () => {
    // newId keeps the last time it used (module state): the times here stay below the next test's.
    const time = fc.integer({ min: Date.now(), max: Date.now() + 1e9 });
    fc.assert(fc.property(fc.array(time, { minLength: 2, maxLength: 40 }), (times) => {
      const sorted = [...times].sort((a, b) => a - b);
      const ids = sorted.map((t) => newId(t));
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
    }));
  });

  it('keeps counting past the sequence within one millisecond without repeating or going back', () => {
    const at = Date.now() + 2e9;
    const ids = Array.from({ length: 36 * 36 * 2 + 5 }, () => newId(at));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('sorts after every id of the former shape made earlier', () => {
    fc.assert(fc.property(fc.integer({ min: 1_600_000_000_000, max: Date.now() + 3e9 }), fc.integer({ min: 1, max: 1e9 }), (before, gap) => {
      expect(formerId(before) < newId(before + gap)).toBe(true);
    }));
  });

  // Last: it moves newId's clock to the end of its range.
  it('keeps 15 characters until 2059', () => {
    expect(newId(Date.UTC(2059, 0, 1))).toMatch(/^[0-9a-z]{15}$/);
  });
});
