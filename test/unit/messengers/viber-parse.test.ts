import { describe, expect, it } from 'vitest';
import { extractMessageToken } from '../../../worker/messengers/viber-parse';
import { viberAdapter } from '../../../worker/messengers/viber';
import conversationStarted from '../../fixtures/viber-conversation-started.json?raw';
import delivered from '../../fixtures/viber-delivered.json?raw';
import failed from '../../fixtures/viber-failed.json?raw';
import picture from '../../fixtures/viber-message-picture.json?raw';
import messageText from '../../fixtures/viber-message-text.json?raw';
import seen from '../../fixtures/viber-seen.json?raw';
import subscribed from '../../fixtures/viber-subscribed.json?raw';
import unsubscribed from '../../fixtures/viber-unsubscribed.json?raw';
import webhook from '../../fixtures/viber-webhook.json?raw';

/** The parsed update; fails the test when the body is not one. */
function parse(raw: string) {
  const outcome = viberAdapter.parse(raw);
  if (outcome.kind !== 'update') throw new Error(`${outcome.kind}: ${outcome.reason}`);
  return outcome.update;
}
const MARIA = 'pYq3V2xKc0Gm7tWbE1uLrA==';
const AVATAR =
  'https://media-direct.cdn.viber.com/download_photo?dlid=0-04-01-7d3f9a2c1b8e4f60a5c3d9e2b7f1a4c8e0d6b3f9&fltp=jpg&imsz=0000';
const maria = { externalId: MARIA, externalChatId: MARIA, name: 'Maria Oliveira', avatarUrl: AVATAR, languageCode: 'pt' };

describe('viber parse: fixtures', () => {
  it('webhook check is acknowledged and ignored', () => {
    expect(parse(webhook)).toEqual({ dedupKey: 'webhook:5916836919477944763', events: [{ type: 'ignored', reason: 'Viber event webhook' }] });
  });

  it('conversation_started', () => {
    expect(parse(conversationStarted)).toEqual({
      dedupKey: 'conversation_started:5916837284433914371',
      events: [{ type: 'conversation_started', sender: maria, subscribed: false, context: 'promo_site', sentAt: 1754042388211 }],
    });
  });

  it('subscribed', () => {
    expect(parse(subscribed)).toEqual({
      dedupKey: 'subscribed:5916837313145520389',
      events: [{ type: 'subscribed', sender: maria, sentAt: 1754042395044 }],
    });
  });

  it('text message keeps the 64-bit token exact', () => {
    expect(parse(messageText)).toEqual({
      dedupKey: 'message:5916837583651237511',
      events: [
        {
          type: 'message',
          sender: maria,
          externalMessageId: '5916837583651237511',
          text: 'Bom dia! Queria trocar o tamanho da camisola da encomenda 4821.',
          sentAt: 1754042452896,
        },
      ],
    });
  });

  it('two tokens that JSON.parse would merge stay distinct', () => {
    const other = messageText.replace('5916837583651237511', '5916837583651237512');
    expect(JSON.parse(other).message_token).toBe(JSON.parse(messageText).message_token);
    expect(parse(other).dedupKey).toBe('message:5916837583651237512');
  });

  it('picture message', () => {
    const { dedupKey, events } = parse(picture);
    expect(dedupKey).toBe('message:5916837855615430017');
    expect(events[0]).toMatchObject({
      type: 'message',
      externalMessageId: '5916837855615430017',
      text: 'Esta é a etiqueta',
      media: {
        kind: 'photo',
        ref: expect.stringMatching(/^https:\/\/dl-media\.viber\.com\/.*c3c1e\.jpg\?Expires=1754046117&Signature=Q2xhcmFCb2F2aXN0YQ$/),
        fileName: '8f2d7a1b9c4e6f035d8a2b7c1e9f4a60d3b8c2e7f1a5d9b4c6e0f2a8d1b7c3c1e.jpg',
      },
    });
  });

  it.each([
    ['delivered', delivered, '5916838249301581826', 1754042611378],
    ['seen', seen, '5916838249301581826', 1754042640115],
  ] as const)('%s receipt refers to our send token', (status, raw, token, sentAt) => {
    expect(parse(raw)).toEqual({
      dedupKey: `${status}:${token}:${MARIA}`,
      events: [{ type: 'receipt', status, externalMessageId: token, externalUserId: MARIA, sentAt }],
    });
  });

  it('failed receipt carries the reason', () => {
    expect(parse(failed)).toEqual({
      dedupKey: `failed:5916838501742092298:${MARIA}`,
      events: [
        { type: 'receipt', status: 'failed', externalMessageId: '5916838501742092298', externalUserId: MARIA, reason: 'failed validation', sentAt: 1754042700002 },
      ],
    });
  });

  it('unsubscribed', () => {
    expect(parse(unsubscribed)).toEqual({
      dedupKey: 'unsubscribed:5916868103355990533',
      events: [{ type: 'unsubscribed', externalUserId: MARIA, sentAt: 1754049123777 }],
    });
  });
});

/** A message callback around `message`, built by hand so the token stays a bare 64-bit number. */
function viberMessage(message: Record<string, unknown>): string {
  return `{"event":"message","timestamp":1754042452896,"message_token":5916837583651237599,"sender":{"id":"${MARIA}","name":"Maria"},"message":${JSON.stringify(message)}}`;
}

describe('viber parse: other message types', () => {
  it('file, video and sticker become media', () => {
    expect(parse(viberMessage({ type: 'file', media: 'https://dl/x/f.pdf?e=1', file_name: 'fatura.pdf', file_size: 4821 })).events[0]).toMatchObject({
      media: { kind: 'document', ref: 'https://dl/x/f.pdf?e=1', fileName: 'fatura.pdf', size: 4821 },
    });
    expect(parse(viberMessage({ type: 'video', media: 'https://dl/v.mp4', size: 100, duration: 3 })).events[0]).toMatchObject({
      media: { kind: 'video', fileName: 'v.mp4', size: 100 },
    });
    expect(parse(viberMessage({ type: 'sticker', sticker_id: 40122, media: 'https://st/40122.png' })).events[0]).toMatchObject({
      media: { kind: 'sticker', ref: 'https://st/40122.png' },
    });
    expect(parse(viberMessage({ type: 'sticker', sticker_id: 40122 })).events[0]).toMatchObject({ text: '[sticker 40122]' });
  });

  it('location, contact and url', () => {
    expect(parse(viberMessage({ type: 'location', location: { lat: 38.72, lon: -9.13 } })).events[0]).toMatchObject({
      text: '',
      location: { latitude: 38.72, longitude: -9.13 },
    });
    expect(parse(viberMessage({ type: 'contact', contact: { name: 'Ana', phone_number: '+351912345678' } })).events[0]).toMatchObject({
      contactCard: { name: 'Ana', phoneNumber: '+351912345678' },
    });
    expect(parse(viberMessage({ type: 'url', media: 'https://example.com/p' })).events[0]).toMatchObject({ text: 'https://example.com/p' });
  });

  it('a text that mentions "message_token" cannot fake the key', () => {
    const raw = viberMessage({ type: 'text', text: '"message_token":1' });
    expect(parse(raw).dedupKey).toBe('message:5916837583651237599');
  });

  it('unknown events are ignored, with the event in the key', () => {
    expect(parse('{"event":"client_status","timestamp":1,"message_token":42}')).toEqual({
      dedupKey: 'client_status:42',
      events: [{ type: 'ignored', reason: 'Viber event client_status' }],
    });
  });
});

describe('viber parse: what it cannot use', () => {
  it.each([
    ['not JSON', '<html>'],
    ['no event', '{"timestamp":1,"message_token":1}'],
    ['JSON array', '[]'],
    ['an event that is not a string', '{"event":null,"timestamp":1}'],
  ])('%s → not an update', (_, raw) => {
    expect(viberAdapter.parse(raw)).toMatchObject({ kind: 'not_an_update' });
  });

  it.each([
    ['message without sender', '{"event":"message","timestamp":1,"message_token":1,"message":{"type":"text","text":"x"}}'],
    ['message without token', `{"event":"message","timestamp":1,"sender":{"id":"a"},"message":{"type":"text","text":"x"}}`],
    ['delivered without user_id', '{"event":"delivered","timestamp":1,"message_token":1}'],
    ['a null sender name', messageText.replace('"name":"Maria Oliveira"', '"name":null')],
    ['a null text', messageText.replace(/"text":"[^"]*"/, '"text":null')],
    ['a token of more than 20 digits', '{"event":"message","timestamp":1,"message_token":123456789012345678901,"sender":{"id":"a"},"message":{"type":"text","text":"x"}}'],
  ])('%s → unprocessable, with a reason', (_, raw) => {
    const outcome = viberAdapter.parse(raw);
    expect(outcome).toMatchObject({ kind: 'unprocessable' });
    expect(outcome.kind === 'unprocessable' && outcome.reason).toMatch(/^Viber \w+ callback \S/);
  });
});

describe('extractMessageToken', () => {
  it('reads the digits of a bare number, with or without spaces', () => {
    expect(extractMessageToken('{"status":0,"message_token":5916838249301581826}')).toBe('5916838249301581826');
    expect(extractMessageToken('{"message_token" : 12}')).toBe('12');
    expect(extractMessageToken('{"status":0}')).toBeUndefined();
  });
});
