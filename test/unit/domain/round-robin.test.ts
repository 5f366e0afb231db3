import { describe, expect, it } from 'vitest';
import { nextInRotation, withInFlight, type RotationCursor, type RotationMember } from '../../../worker/domain/routing';

const member = (userId: string, over: Partial<RotationMember> = {}): RotationMember => ({ userId, away: false, active: true, openChats: 0, ...over });
const queue = (...ids: string[]) => ids.map((id) => member(id));

/** Runs `n` decisions the way the BotQueue object does: each answer becomes the next cursor. */
function run(list: RotationMember[], n: number, cap: number | null = null, from: RotationCursor | null = null) {
  const picked: (string | null)[] = [];
  let cursor = from;
  for (let i = 0; i < n; i++) {
    const next = nextInRotation(list, cap, cursor);
    picked.push(next?.userId ?? null);
    cursor = next ?? cursor;
  }
  return { picked, cursor };
}

describe('nextInRotation', () => {
  it('goes round the queue from the head: [B, D] → B, D, B', () => {
    expect(run(queue('B', 'D'), 3).picked).toEqual(['B', 'D', 'B']);
  });

  it('an empty queue gives nobody', () => {
    expect(nextInRotation([], null, null)).toBeNull();
    expect(nextInRotation([], 5, { userId: 'A', position: 0 })).toBeNull();
  });

  it('continues after the last manager, not from the head, when the list is edited', () => {
    // A, B got chats; C is added at the end → C is next (joins the rotation), then A.
    const { cursor } = run(queue('A', 'B'), 2);
    expect(cursor).toEqual({ userId: 'B', position: 1 });
    expect(run(queue('A', 'B', 'C'), 2, null, cursor).picked).toEqual(['C', 'A']);
    // Someone added at the head waits for the wrap-around: no restart, no double turn for A.
    expect(run(queue('X', 'A', 'B'), 3, null, cursor).picked).toEqual(['X', 'A', 'B']);
  });

  it('when the last manager was removed, continues from the place they had', () => {
    // [A, B, C, D], B got the last chat; B leaves → C (who now holds position 1) is next.
    expect(run(queue('A', 'C', 'D'), 3, null, { userId: 'B', position: 1 }).picked).toEqual(['C', 'D', 'A']);
    // The last one in the list leaves → wraps to the head.
    expect(run(queue('A', 'B'), 1, null, { userId: 'C', position: 2 }).picked).toEqual(['A']);
  });

  it('skips deactivated and away members, and gives nobody when everyone is skipped', () => {
    const list = [member('A'), member('B', { active: false }), member('C', { away: true }), member('D')];
    expect(run(list, 4).picked).toEqual(['A', 'D', 'A', 'D']);
    expect(nextInRotation([member('A', { away: true }), member('B', { active: false })], null, null)).toBeNull();
  });

  it('skips members at or above the cap; no cap means load does not matter', () => {
    const list = [member('A', { openChats: 3 }), member('B', { openChats: 2 }), member('C', { openChats: 0 })];
    expect(run(list, 3, 3).picked).toEqual(['B', 'C', 'B']);
    expect(run(list, 3, 2).picked).toEqual(['C', 'C', 'C']);
    expect(nextInRotation(list, 0, null)).toBeNull();
    expect(run(list, 3, null).picked).toEqual(['A', 'B', 'C']);
  });

  it('a single eligible member gets every chat', () => {
    expect(run(queue('A'), 3).picked).toEqual(['A', 'A', 'A']);
  });

  it('reports the position it picked, for the next cursor', () => {
    expect(nextInRotation(queue('A', 'B', 'C'), null, { userId: 'C', position: 2 })).toEqual({ userId: 'A', position: 0 });
  });
});

describe('withInFlight', () => {
  it('counts decisions D1 does not show yet, never below what it shows', () => {
    const members = [member('A', { openChats: 1 }), member('B', { openChats: 4 }), member('C')];
    const out = withInFlight(members, ['A', 'A', 'B', 'A'], { A: 1, B: 3 });
    expect(out.map((m) => m.openChats)).toEqual([1 + 2, 4, 0]);
    // The input is a shared snapshot: left untouched.
    expect(members.map((m) => m.openChats)).toEqual([1, 4, 0]);
  });
});
