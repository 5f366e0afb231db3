/**
 * The pure parts of the live fan-out, without sockets: change planning, per-user rendering, counts,
 * snapshot freshness and the catch-up arithmetic.
 */
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../worker/domain/access';
import { isOlder, planLive, type InboxEnvelope } from '../../worker/domain/live';
import { countsFor, renderInbox, type CountsBasis } from '../../worker/domain/live';
import { parseAfter, replayFrom } from '../../worker/domain/live';

const user = (id: string, role: SessionUser['role'] = 'employee'): SessionUser => ({ id, email: `${id}@x`, name: id, role });

function envelope(over: Partial<InboxEnvelope> = {}): InboxEnvelope {
  return {
    chatId: 'c1', changes: ['message'],
    chat: {
      id: 'c1', status: 'open', contact: { id: 'k1', name: 'Ana', avatarUrl: null }, integration: { id: 'i1', name: 'Bot', channel: 'telegram' },
      responsibleId: 'marta', startedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: '2026-01-01T00:00:05.000Z', lastMessagePreview: 'oi',
      closedAt: null, lastInboundAt: 5_000,
    },
    observerIds: ['olga'], readers: { marta: { muted: false, lastReadAt: 1_000, unreadCount: 3 }, caio: { muted: true, lastReadAt: 9_000, unreadCount: 0 } },
    inboundCount: 7, message: null, fromClient: true, stamp: { event: 'e1', message: 'm1' }, ...over,
  };
}

describe('planLive', () => {
  it('groups by chat, and skips the room of a chat created by this very change', () => {
    const plans = planLive([
      { kind: 'chat_created', chatId: 'new' }, { kind: 'message', chatId: 'new', messageId: 'm1' },
      { kind: 'chat_updated', chatId: 'old', reason: 'message' }, { kind: 'message', chatId: 'old', messageId: 'm2' },
      { kind: 'message_status', chatId: 'other', messageId: 'm3' }, { kind: 'chat_updated', chatId: 'old', reason: 'assigned' },
    ]);
    expect(plans.map((p) => [p.chatId, p.inbox, p.room, p.created])).toEqual([
      ['new', ['created', 'message'], [], true], ['old', ['message', 'assigned'], ['assigned'], false], ['other', [], [], false],
    ]);
  });
});

describe('renderInbox', () => {
  it('notifies the responsible manager and observers of a client message, unless they muted the chat', () => {
    const e = envelope();
    expect(renderInbox(e, user('marta'), 4)).toMatchObject({ seq: 4, type: 'chat', notify: true, chat: { unread: true, unreadCount: 3, muted: false } });
    expect(renderInbox(e, user('olga', 'observer'), 4)).toMatchObject({ notify: true, chat: { unread: true, unreadCount: 7 } });
    expect(renderInbox(e, user('bruno'), 4)).toMatchObject({ notify: false });
    expect(renderInbox(envelope({ chat: { ...e.chat, responsibleId: 'caio' } }), user('caio'), 4)).toMatchObject({ notify: false, chat: { muted: true, unread: false, unreadCount: 0 } });
    expect(renderInbox(envelope({ fromClient: false }), user('marta'), 4)).toMatchObject({ notify: false });
  });

  it('shows an observer only the chats they observe, and tells one who was just removed', () => {
    expect(renderInbox(envelope({ observerIds: [] }), user('olga', 'observer'), 9)).toBeNull();
    expect(renderInbox(envelope({ observerIds: [], removedObserverIds: ['olga'] }), user('olga', 'observer'), 9)).toEqual({ seq: 9, type: 'chat_removed', chatId: 'c1' });
    expect(renderInbox(envelope({ observerIds: [] }), user('admin', 'admin'), 9)?.type).toBe('chat');
  });

  it('never leaks the internal fields of the envelope', () => {
    const frame = renderInbox(envelope(), user('marta'), 1)!;
    expect(Object.keys((frame as { chat: object }).chat)).not.toContain('lastInboundAt');
    expect(Object.keys(frame).sort()).toEqual(['changes', 'chat', 'message', 'notify', 'seq', 'type']);
  });
});

describe('countsFor', () => {
  const basis: CountsBasis = {
    all: { open: { '': 4, marta: 2, caio: 3 }, openTotal: 9, closed: 11 },
    observed: { olga: { open: { marta: 1 }, openTotal: 1, closed: 2 } },
  };
  it('derives every user\'s groups from one tally', () => {
    expect(countsFor(basis, user('marta'))).toEqual({ mine: 2, unassigned: 4, others: 3, closed: 11 });
    expect(countsFor(basis, user('zoe', 'admin'))).toEqual({ mine: 0, unassigned: 4, others: 5, closed: 11 });
    expect(countsFor(basis, user('olga', 'observer'))).toEqual({ mine: 0, unassigned: 0, others: 1, closed: 2 });
    expect(countsFor(basis, user('nobody', 'observer'))).toEqual({ mine: 0, unassigned: 0, others: 0, closed: 0 });
  });
});

describe('isOlder', () => {
  it('a snapshot missing a newer event or message is older; equal or newer is not', () => {
    expect(isOlder({ event: 'a', message: 'b' }, { event: 'a', message: 'c' })).toBe(true);
    expect(isOlder({ event: 'a', message: 'c' }, { event: 'b', message: 'c' })).toBe(true);
    expect(isOlder({ event: 'b', message: 'c' }, { event: 'b', message: 'c' })).toBe(false);
    expect(isOlder({ event: 'c', message: 'c' }, { event: 'b', message: 'c' })).toBe(false);
  });
});

describe('replayFrom / parseAfter', () => {
  it('replays a gap inside the window, reloads outside it, goes live when there is none', () => {
    expect(replayFrom(null, 10, 1)).toEqual({ kind: 'live' });
    expect(replayFrom(10, 10, 1)).toEqual({ kind: 'live' });
    expect(replayFrom(4, 10, 5)).toEqual({ kind: 'replay', after: 4 });
    expect(replayFrom(3, 10, 5)).toEqual({ kind: 'reload' });
    expect(replayFrom(11, 10, 5)).toEqual({ kind: 'reload' });
    expect(replayFrom(0, 0, null)).toEqual({ kind: 'live' });
    expect(replayFrom(2, 3, null)).toEqual({ kind: 'reload' });
  });
  it('accepts only non-negative integers', () => {
    expect([undefined, '', '0', '42', '-1', '1.5', 'x', '9'.repeat(16)].map(parseAfter)).toEqual([null, null, 0, 42, undefined, undefined, undefined, undefined]);
  });
});
