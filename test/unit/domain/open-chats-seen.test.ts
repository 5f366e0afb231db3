import { describe, expect, it } from 'vitest';
import { forgetOpen, MAX_SEEN_OPEN_CHATS, noteOpen, seenOpen, seenOpenCount } from '../../../worker/domain/ingest/open-chats-seen';

describe('the chats an isolate saw open', () => {
  it('stays within its bound, forgetting the least recently used chat first', () => {
    const bot = `bound-${Math.random()}`;
    noteOpen(bot, 'oldest');
    noteOpen(bot, 'touched');
    for (let i = 0; i < MAX_SEEN_OPEN_CHATS - 2; i++) noteOpen(bot, `chat-${i}`);
    // Written again: now the most recently used, so it outlives 'oldest'.
    noteOpen(bot, 'touched');
    noteOpen(bot, 'one too many');
    noteOpen(bot, 'two too many');
    expect(seenOpenCount()).toBeLessThanOrEqual(MAX_SEEN_OPEN_CHATS);
    expect(seenOpen(bot, 'oldest')).toBe(false);
    // Without the second note, 'touched' would have gone second; chat-0 went instead.
    expect(seenOpen(bot, 'touched')).toBe(true);
    expect(seenOpen(bot, 'chat-0')).toBe(false);
    expect(seenOpen(bot, 'chat-1')).toBe(true);
    expect(seenOpen(bot, 'two too many')).toBe(true);
  });

  it('keeps bots apart and forgets a chat on request', () => {
    noteOpen('bot-a', '42');
    expect(seenOpen('bot-b', '42')).toBe(false);
    forgetOpen('bot-a', '42');
    expect(seenOpen('bot-a', '42')).toBe(false);
  });
});
