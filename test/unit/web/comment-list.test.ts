/** The chat panel's comment list: a live echo of a comment being posted replaces its placeholder. */
import { describe, expect, it } from 'vitest';
import { withComment } from '../../../web/src/pages/chat/comment-list';

const comment = (id: string, text: string, authorId = 'u1') => ({ id, chatId: 'c1', authorId, text, createdAt: '2026-12-05T07:00:00.000Z', mentions: [] });

describe('withComment', () => {
  it('the live echo of a comment still being posted replaces its placeholder: shown once, not twice', () => {
    const posting = withComment([comment('a', 'older')], comment('local-1', 'pode ver?'));
    const echoed = withComment(posting, comment('saved-1', 'pode ver?'));
    expect(echoed.map((c) => c.id)).toEqual(['a', 'saved-1']);
    // The POST's answer then finds it there.
    expect(withComment(echoed, comment('saved-1', 'pode ver?'))).toBe(echoed);
  });

  it("someone else's comment with the same words does not take the placeholder's place", () => {
    const posting = withComment([], comment('local-1', 'ok'));
    expect(withComment(posting, comment('x', 'ok', 'u2')).map((c) => c.id)).toEqual(['local-1', 'x']);
  });
});
