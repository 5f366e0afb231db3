/**
 * The "taken from you" notice: a `taken_away` change reaches the inbox envelope and only the manager
 * it names gets `takenAway` in their frame; and the length of a reassignAfterMinutes minute.
 */
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../worker/domain/access';
import { planLive, renderInbox, type InboxEnvelope } from '../../../worker/domain/live';
import { MINUTE_MS, routingMinuteMs } from '../../../worker/domain/routing';

const user = (id: string, role: SessionUser['role'] = 'employee'): SessionUser => ({ id, email: `${id}@x`, name: id, role });

function envelope(takenAway?: InboxEnvelope['takenAway']): InboxEnvelope {
  return {
    chatId: 'c1', changes: ['assigned'],
    chat: {
      id: 'c1', status: 'open', contact: { id: 'k1', name: 'Ana', avatarUrl: null }, integration: { id: 'i1', name: 'Bot', channel: 'telegram' },
      responsibleId: 'bruno', startedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: '2026-01-01T00:00:05.000Z', lastMessagePreview: 'oi',
      closedAt: null, lastInboundAt: 5_000,
    },
    observerIds: [], readers: {}, inboundCount: 1, message: null, fromClient: false, stamp: { event: 'e1', message: 'm1' },
    ...(takenAway ? { takenAway } : {}),
  };
}

describe('takenAway', () => {
  it('planLive carries the managers a chat was taken from, with the reason', () => {
    const [plan] = planLive([
      { kind: 'chat_updated', chatId: 'c1', reason: 'assigned' },
      { kind: 'taken_away', chatId: 'c1', userId: 'marta', reason: 'no_reply' },
    ]);
    expect(plan.inbox).toEqual(['assigned']);
    expect(plan.takenAway).toEqual([{ userId: 'marta', reason: 'no_reply' }]);
  });

  it('only the manager it was taken from gets it, naming who has the chat now', () => {
    const e = envelope([{ userId: 'marta', reason: 'no_reply' }]);
    expect(renderInbox(e, user('marta'), 1)).toMatchObject({ takenAway: { reason: 'no_reply', responsibleId: 'bruno' } });
    expect(renderInbox(e, user('bruno'), 1)).not.toHaveProperty('takenAway');
    expect(renderInbox(e, user('root', 'admin'), 1)).not.toHaveProperty('takenAway');
    expect(renderInbox(envelope(), user('marta'), 1)).not.toHaveProperty('takenAway');
  });
});

describe('routingMinuteMs', () => {
  it('is a real minute unless a usable number of ms is set', () => {
    expect(routingMinuteMs(undefined)).toBe(MINUTE_MS);
    expect(routingMinuteMs('60000')).toBe(60_000);
    expect(routingMinuteMs('3000')).toBe(3_000);
    for (const bad of ['', 'abc', '0', '-5', '50', 'Infinity']) expect(routingMinuteMs(bad)).toBe(MINUTE_MS);
  });
});
