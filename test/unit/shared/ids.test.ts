import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertWithFreshId, newConversationId, newId, newShortId } from '../../../worker/shared/ids';

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

describe('newShortId (people and bots)', () => {
  const at = Date.UTC(2027, 5, 1, 12);

  it('is 9 characters of [0-9a-z], unique and in order past 36 ids in one second', () => {
    const ids = Array.from({ length: 36 * 3 + 5 }, () => newShortId(at));
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{9}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map((id) => id.slice(0, 7))).toEqual([...ids.map((id) => id.slice(0, 7))].sort());
    // A later second starts after the ones the burst ran ahead to.
    expect(newShortId(at + 10_000) > ids.at(-1)!).toBe(true);
  });

  it('never has the length of an id of the other shapes', () => {
    expect(newShortId(Date.UTC(2094, 5, 1))).toHaveLength(9);
    expect(newShortId(Date.UTC(2020, 0, 1))).toHaveLength(9);
  });
});

describe('insertWithFreshId', () => {
  it('tries another id while the one it made is taken', async () => {
    const tried: string[] = [];
    const id = await insertWithFreshId(Date.UTC(2027, 6, 1), async (candidate) => { tried.push(candidate); return tried.length === 3; });
    expect(tried).toHaveLength(3);
    expect(new Set(tried).size).toBe(3);
    expect(id).toBe(tried[2]);
  });

  it('gives up after five taken ids instead of looping', async () => {
    let calls = 0;
    await expect(insertWithFreshId(Date.UTC(2027, 7, 1), async () => { calls++; return false; })).rejects.toThrow(/no free id/);
    expect(calls).toBe(5);
  });
});

describe('newConversationId (a new client\'s contact, chat and opportunity)', () => {
  const at = Date.UTC(2027, 7, 1, 12);

  it('is 9 characters of [0-9a-z], unique and in order past 36 ids in one second, apart from newShortId', () => {
    const people = Array.from({ length: 36 * 3 }, () => newShortId(at));
    const ids = Array.from({ length: 36 * 3 + 5 }, () => newConversationId(at));
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{9}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map((id) => id.slice(0, 7))).toEqual([...ids.map((id) => id.slice(0, 7))].sort());
    // Its own sequence: the burst of people's ids that ran newShortId's time part ahead does not move it.
    expect(ids[0].slice(0, 6)).toBe(Math.floor((at - Date.UTC(2026, 0, 1)) / 1000).toString(36).padStart(6, '0'));
    expect(people.at(-1)!.slice(0, 6) > ids[0].slice(0, 6)).toBe(true);
  });
});
