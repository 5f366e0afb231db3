import { describe, expect, it } from 'vitest';
import { telegramAdapter } from '../../../worker/messengers/telegram';
import edited from '../../fixtures/telegram-edited.json?raw';
import secondUser from '../../fixtures/telegram-from-second-user.json?raw';
import blocked from '../../fixtures/telegram-my-chat-member-blocked.json?raw';
import photo from '../../fixtures/telegram-photo.json?raw';
import startDeeplink from '../../fixtures/telegram-start-deeplink.json?raw';
import start from '../../fixtures/telegram-start.json?raw';
import text from '../../fixtures/telegram-text.json?raw';

/** The parsed update; fails the test when the body is not one. */
function parse(raw: string) {
  const outcome = telegramAdapter.parse(raw);
  if (outcome.kind !== 'update') throw new Error(`${outcome.kind}: ${outcome.reason}`);
  return outcome.update;
}

const ana = {
  externalId: '5123456789',
  externalChatId: '5123456789',
  name: 'Ana Souza',
  username: 'ana_souza',
  languageCode: 'pt-br',
};

/** Builds a body around a message payload, as in docs/telegram.md §3.5. */
function withMessage(fields: Record<string, unknown>, chatType = 'private'): string {
  return JSON.stringify({
    update_id: 734512100,
    message: {
      message_id: 9,
      from: { id: 5123456789, is_bot: false, first_name: 'Ana' },
      chat: { id: chatType === 'private' ? 5123456789 : -100123, type: chatType, first_name: 'Ana' },
      date: 1754042461,
      ...fields,
    },
  });
}

describe('telegram parse: fixtures', () => {
  it('text message', () => {
    expect(parse(text)).toEqual({
      dedupKey: 'u:734512002',
      events: [
        {
          type: 'message',
          sender: ana,
          externalMessageId: '2',
          text: 'Olá! Vocês entregam em Lisboa? O meu pedido é o 4821.',
          sentAt: 1754042461000,
        },
      ],
    });
  });

  it('/start is a first-contact signal without payload', () => {
    const { dedupKey, events } = parse(start);
    expect(dedupKey).toBe('u:734512001');
    expect(events[0]).toMatchObject({ type: 'message', text: '/start', isStart: true, externalMessageId: '1' });
    expect(events[0]).not.toHaveProperty('startPayload');
  });

  it('/start with a deep-link payload', () => {
    const { dedupKey, events } = parse(startDeeplink);
    expect(dedupKey).toBe('u:734512009');
    expect(events[0]).toMatchObject({
      type: 'message',
      isStart: true,
      startPayload: 'campanha_verao-2025',
      sender: { externalId: '5987654321', name: 'Rui', languageCode: 'pt' },
    });
  });

  it('photo takes the largest size and the caption as text', () => {
    const { dedupKey, events } = parse(photo);
    expect(dedupKey).toBe('u:734512003');
    expect(events[0]).toMatchObject({
      type: 'message',
      externalMessageId: '3',
      text: 'A caixa chegou assim, amassada 😕',
      media: {
        kind: 'photo',
        ref: 'AgACAgQAAxkBAAMDZqx1k3Vb0x8M2bC1nR7yQwABHs9kAAJ4wjEbq2RhUXnW3bE0Yk8fAQADAgADeQADNgQ',
        uniqueId: 'AQADeMIxG6tkYVF-',
        size: 171502,
      },
    });
  });

  it('edited message keeps the message id and uses edit_date', () => {
    expect(parse(edited)).toEqual({
      dedupKey: 'u:734512004',
      events: [
        {
          type: 'edited',
          sender: ana,
          externalMessageId: '2',
          text: 'Olá! Vocês entregam em Lisboa? O meu pedido é o 4812.',
          sentAt: 1754042519000,
        },
      ],
    });
  });

  it('message from a second user (a reply)', () => {
    const { dedupKey, events } = parse(secondUser);
    expect(dedupKey).toBe('u:734512005');
    expect(events[0]).toMatchObject({
      type: 'message',
      externalMessageId: '7',
      text: 'Thanks! Could you send the invoice as a PDF please?',
      sender: { externalId: '6234567890', externalChatId: '6234567890', name: 'John', username: 'johnp_uk', languageCode: 'en' },
    });
    expect(events[0]).not.toHaveProperty('isStart');
  });

  it('blocking the bot is an unsubscribe', () => {
    expect(parse(blocked)).toEqual({
      dedupKey: 'u:734512006',
      events: [{ type: 'unsubscribed', externalUserId: '6234567890', sentAt: 1754049000000 }],
    });
  });

  it('unblocking the bot is a resubscribe', () => {
    const unblocked = blocked.replace('"status":"kicked","until_date":0', '"status":"member"').replace('734512006', '734512007');
    expect(parse(unblocked)).toEqual({
      dedupKey: 'u:734512007',
      events: [{ type: 'resubscribed', externalUserId: '6234567890', sentAt: 1754049000000 }],
    });
  });
});

describe('telegram parse: other message content (§1.3.5 payloads)', () => {
  it('document with caption', () => {
    const raw = withMessage({
      document: { file_name: 'fatura_4821.pdf', mime_type: 'application/pdf', file_id: 'BQAC', file_unique_id: 'AgADqBEAAt1kYVE', file_size: 48213 },
      caption: 'Segue a fatura',
    });
    expect(parse(raw).events[0]).toMatchObject({
      text: 'Segue a fatura',
      media: { kind: 'document', ref: 'BQAC', fileName: 'fatura_4821.pdf', mimeType: 'application/pdf', size: 48213, uniqueId: 'AgADqBEAAt1kYVE' },
    });
  });

  it('voice, sticker, animation (which also sets document)', () => {
    const voice = withMessage({ voice: { duration: 7, mime_type: 'audio/ogg', file_id: 'AwAC', file_unique_id: 'v1', file_size: 21344 } });
    expect(parse(voice).events[0]).toMatchObject({ text: '', media: { kind: 'voice', ref: 'AwAC', mimeType: 'audio/ogg' } });
    const sticker = withMessage({ sticker: { width: 512, height: 512, emoji: '👍', is_animated: false, is_video: false, type: 'regular', file_id: 'CAAC', file_unique_id: 's1' } });
    expect(parse(sticker).events[0]).toMatchObject({ media: { kind: 'sticker', ref: 'CAAC' } });
    const gif = { file_id: 'CgAC', file_unique_id: 'g1', width: 1, height: 1, duration: 1, mime_type: 'video/mp4', file_name: 'a.mp4' };
    expect(parse(withMessage({ animation: gif, document: gif })).events[0]).toMatchObject({ media: { kind: 'animation', ref: 'CgAC' } });
  });

  it('location and contact are structured', () => {
    expect(parse(withMessage({ location: { latitude: 38.722252, longitude: -9.139337 } })).events[0]).toMatchObject({
      type: 'message',
      text: '',
      location: { latitude: 38.722252, longitude: -9.139337 },
    });
    const contact = withMessage({ contact: { phone_number: '351912345678', first_name: 'Ana', last_name: 'Souza', user_id: 5123456789 } });
    expect(parse(contact).events[0]).toMatchObject({ contactCard: { name: 'Ana Souza', phoneNumber: '351912345678' } });
  });

  it('ignores group chats, unknown update types and unsupported content', () => {
    expect(parse(withMessage({ text: 'hi all' }, 'group')).events[0]).toMatchObject({ type: 'ignored' });
    // callback_query is handled now (test/unit/messengers/buttons-and-changes.test.ts); a poll is not.
    expect(parse('{"update_id":5,"poll":{"id":"1"}}')).toEqual({
      dedupKey: 'u:5',
      events: [{ type: 'ignored', reason: 'Telegram update type not handled: poll' }],
    });
    expect(parse(withMessage({ dice: { emoji: '🎲', value: 3 } })).events[0]).toMatchObject({ type: 'ignored' });
  });

  it('/start@Bot and a text that only starts with /start', () => {
    expect(parse(withMessage({ text: '/start@LojaExemploBot' })).events[0]).toMatchObject({ isStart: true });
    expect(parse(withMessage({ text: '/starting' })).events[0]).not.toHaveProperty('isStart');
  });
});

describe('telegram parse: what it cannot use', () => {
  it.each([
    ['not JSON', 'not json'],
    ['no update_id', '{"message":{}}'],
    ['update_id not a number', '{"update_id":"7"}'],
    ['JSON null', 'null'],
    ['a JSON array', '[{"update_id":7}]'],
  ])('%s → not an update', (_, raw) => {
    expect(telegramAdapter.parse(raw)).toMatchObject({ kind: 'not_an_update' });
  });

  it.each([
    ['message without chat', '{"update_id":7,"message":{"message_id":1,"date":1}}'],
    ['a null photo size', photo.replace(/"photo":\[.*\],/, '"photo":[null],')],
    ['a null username', text.replace('"username":"ana_souza"', '"username":null')],
    ['a number for the text', text.replace(/"text":"[^"]*"/, '"text":5')],
    ['message null', '{"update_id":7,"message":null}'],
    ['a text past the cap', withMessage({ text: 'x'.repeat(16_385) })],
  ])('%s → unprocessable, with a reason', (_, raw) => {
    const outcome = telegramAdapter.parse(raw);
    expect(outcome).toMatchObject({ kind: 'unprocessable' });
    expect(outcome.kind === 'unprocessable' && outcome.reason).toMatch(/^Telegram update has an unexpected shape: \S/);
  });
});
