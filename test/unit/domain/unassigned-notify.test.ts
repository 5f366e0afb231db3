/** "Unassigned is loud": a client message in an unassigned open chat notifies everyone who may take it. */
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../worker/domain/access';
import { renderInbox, type InboxEnvelope } from '../../../worker/domain/live';

const user = (id: string, role: SessionUser['role'] = 'employee'): SessionUser => ({ id, email: `${id}@x`, name: id, role });

function envelope(over: Partial<InboxEnvelope['chat']> = {}, fromClient = true): InboxEnvelope {
  return {
    chatId: 'c1', changes: ['created', 'message'],
    chat: {
      id: 'c1', status: 'open', contact: { id: 'k1', name: 'Ana', avatarUrl: null }, integration: { id: 'i1', name: 'Bot', channel: 'telegram' },
      responsibleId: null, startedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: '2026-01-01T00:00:05.000Z', lastMessagePreview: 'oi',
      closedAt: null, lastInboundAt: 5_000, ...over,
    },
    observerIds: ['olga'], readers: {}, inboundCount: 1, message: null, fromClient, stamp: { event: 'e1', message: 'm1' },
  };
}

describe('unassigned chats notify whoever may take them', () => {
  it('employees and admins are notified of a client in an unassigned chat; an observer only as an observer', () => {
    expect(renderInbox(envelope(), user('bruno'), 1)).toMatchObject({ notify: true });
    expect(renderInbox(envelope(), user('root', 'admin'), 1)).toMatchObject({ notify: true });
    expect(renderInbox(envelope({}, true), user('olga', 'observer'), 1)).toMatchObject({ notify: true });
    const notObserving = { ...envelope(), observerIds: ['someone-else'] };
    expect(renderInbox(notObserving, user('root', 'admin'), 1)).toMatchObject({ notify: true });
  });

  it('an assigned chat still notifies only its manager; nothing notifies without a client message', () => {
    expect(renderInbox(envelope({ responsibleId: 'marta' }), user('bruno'), 1)).toMatchObject({ notify: false });
    expect(renderInbox(envelope({}, false), user('bruno'), 1)).toMatchObject({ notify: false });
  });
});
