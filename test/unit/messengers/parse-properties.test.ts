/**
 * Properties of both parsers over thousands of bodies: real fixtures mutated (values replaced by null /
 * numbers / strings / arrays / objects / deep nesting, keys deleted or added, bodies cut short) and
 * bodies generated from nothing. The parser never throws; what it returns as an update has exactly the
 * InboundEvent types ingest relies on (a string is a string, within the caps); a body that is not a
 * JSON object is never an update.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { telegramAdapter } from '../../../worker/messengers/telegram';
import type { ParseOutcome } from '../../../worker/messengers/types';
import { CAP } from '../../../worker/messengers/update-shape';
import { viberAdapter } from '../../../worker/messengers/viber';
import { generatedBody, mutatedBody } from '../../support/update-mutations';
import tgEdited from '../../fixtures/telegram-edited.json?raw';
import tgSecond from '../../fixtures/telegram-from-second-user.json?raw';
import tgBlocked from '../../fixtures/telegram-my-chat-member-blocked.json?raw';
import tgPhoto from '../../fixtures/telegram-photo.json?raw';
import tgDeeplink from '../../fixtures/telegram-start-deeplink.json?raw';
import tgStart from '../../fixtures/telegram-start.json?raw';
import tgText from '../../fixtures/telegram-text.json?raw';
import vbStarted from '../../fixtures/viber-conversation-started.json?raw';
import vbDelivered from '../../fixtures/viber-delivered.json?raw';
import vbFailed from '../../fixtures/viber-failed.json?raw';
import vbPicture from '../../fixtures/viber-message-picture.json?raw';
import vbText from '../../fixtures/viber-message-text.json?raw';
import vbSeen from '../../fixtures/viber-seen.json?raw';
import vbSubscribed from '../../fixtures/viber-subscribed.json?raw';
import vbUnsubscribed from '../../fixtures/viber-unsubscribed.json?raw';
import vbWebhook from '../../fixtures/viber-webhook.json?raw';

const id = z.string().min(1).max(CAP.ref);
const text = z.string().max(CAP.text);
const name = z.string().max(CAP.name);
const sentAt = z.number();
const Sender = z.strictObject({ externalId: id, externalChatId: id, name, username: name.optional(), avatarUrl: id.optional(), languageCode: name.optional() });
const Media = z.strictObject({
  kind: z.enum(['photo', 'document', 'voice', 'sticker', 'video', 'audio', 'animation']),
  ref: z.string().max(CAP.ref), fileName: name.optional(), mimeType: name.optional(), size: z.number().optional(), uniqueId: z.string().max(CAP.ref).optional(),
});
/** InboundEvent (worker/messengers/types.ts) as a runtime check. */
const InboundEvent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('message'), sender: Sender, externalMessageId: id, text, sentAt, media: Media.optional(),
    location: z.strictObject({ latitude: z.number(), longitude: z.number() }).optional(),
    contactCard: z.strictObject({ name: z.string().max(2 * CAP.name + 1), phoneNumber: name }).optional(),
    isStart: z.literal(true).optional(), startPayload: text.optional(),
  }),
  z.strictObject({ type: z.literal('edited'), sender: Sender, externalMessageId: id, text, sentAt }),
  z.strictObject({ type: z.literal('conversation_started'), sender: Sender, subscribed: z.boolean(), context: z.string().max(CAP.ref).optional(), sentAt }),
  z.strictObject({ type: z.literal('subscribed'), sender: Sender, sentAt }),
  z.strictObject({ type: z.enum(['unsubscribed', 'resubscribed']), externalUserId: id, sentAt }),
  z.strictObject({ type: z.literal('receipt'), status: z.enum(['delivered', 'seen', 'failed']), externalMessageId: id, externalUserId: id, reason: z.string().max(CAP.ref).optional(), sentAt }),
  z.strictObject({ type: z.literal('ignored'), reason: z.string().max(500) }),
]);
const Outcome = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('update'), update: z.strictObject({ dedupKey: z.string().min(1).max(200), events: z.array(InboundEvent).length(1) }) }),
  z.strictObject({ kind: z.enum(['unprocessable', 'not_an_update']), reason: z.string().min(1).max(1000) }),
]);

function isJsonObject(raw: string): boolean {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function checkOutcome(parse: (raw: string) => ParseOutcome) {
  return (raw: string) => {
    let outcome: ParseOutcome;
    try {
      outcome = parse(raw);
    } catch (err) {
      throw new Error(`parse threw ${String(err)} for ${raw.slice(0, 300)}`);
    }
    const checked = Outcome.safeParse(outcome);
    if (!checked.success) throw new Error(`${z.prettifyError(checked.error)}\nfor ${raw.slice(0, 300)}`);
    if (!isJsonObject(raw)) expect(outcome.kind).toBe('not_an_update');
  };
}

const telegram = [tgStart, tgText, tgPhoto, tgEdited, tgSecond, tgBlocked, tgDeeplink];
const viber = [vbStarted, vbSubscribed, vbText, vbPicture, vbDelivered, vbSeen, vbFailed, vbUnsubscribed, vbWebhook];

describe.each([
  ['telegram', (raw: string) => telegramAdapter.parse(raw), telegram],
  ['viber', (raw: string) => viberAdapter.parse(raw), viber],
] as const)('%s parser, any body', (_, parse, fixtures) => {
  it('the fixtures themselves are updates', () => {
    for (const raw of fixtures) expect(parse(raw).kind).toBe('update');
  });

  it('mutated fixtures: never throws, and an update has exactly the types ingest relies on', () => {
    fc.assert(fc.property(mutatedBody([...fixtures]), checkOutcome(parse)), { numRuns: 3000 });
  });

  it('bodies generated from nothing: never throws, never an update unless a JSON object', () => {
    fc.assert(fc.property(generatedBody, checkOutcome(parse)), { numRuns: 1500 });
  });
});
