/**
 * fetchInboundMedia within its bounds (issue 13, item 8): a Viber callback's media URL is fetched only
 * from Viber's media hosts, a file past 20 MiB is cut off and recorded, a server that stalls times out,
 * and a large file streams into R2 whole.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { messages } from '../../../worker/data/schema';
import { encryptToken } from '../../../worker/domain/integrations';
import { fetchInboundMedia, MEDIA_MAX_ATTEMPTS, type MediaDeps } from '../../../worker/domain/outbound';
import type { InboundMedia, ParsedUpdate } from '../../../worker/messengers/types';
import { db, ingest, makeIntegration, uniq } from '../../support/factory';
import { messengerFake, streamedFile, TELEGRAM_TOKEN, VIBER_TOKEN, type MessengerFake } from '../../support/messenger-fake';

const MiB = 1024 * 1024;
const TIMEOUT_MS = 300;

let fake: MessengerFake;
let clock: number;
let deps: MediaDeps;

beforeEach(() => {
  fake = messengerFake();
  clock = Date.now();
  deps = {
    db: db(),
    now: () => clock,
    messengers: {
      apiBase: (channel) => `http://${channel}.test`,
      encryptionKey: env.ENCRYPTION_KEY,
      fetch: fake.fetch,
      mediaHosts: (channel) => (channel === 'viber' ? ['dl-media.viber.com'] : []),
      mediaLimits: { timeoutMs: TIMEOUT_MS },
    },
    bucket: env.MEDIA,
  };
});

/**
 * The deadline covers the whole download, and pumping 20 MiB through the fake takes longer than
 * TIMEOUT_MS on a slow machine: the tests of big files give it room (only the stall test needs it short).
 */
function roomForBigFiles() {
  deps = { ...deps, messengers: { ...deps.messengers, mediaLimits: { timeoutMs: 60_000 } } };
}

/** A client's file as the messenger reported it, stored by ingest with a pending attachment. */
async function clientFile(channel: 'telegram' | 'viber', media: Omit<InboundMedia, 'kind'>) {
  const token = channel === 'telegram' ? TELEGRAM_TOKEN : VIBER_TOKEN;
  const integration = await makeIntegration({ channel, tokenEncrypted: await encryptToken(env.ENCRYPTION_KEY, token) });
  const externalId = uniq();
  const client = `${uniq()}==`;
  const update: ParsedUpdate = {
    dedupKey: `m:${externalId}`,
    events: [{
      type: 'message', text: '', externalMessageId: externalId, sentAt: clock, media: { kind: 'document', ...media },
      sender: { externalId: client, externalChatId: client, name: 'Maria' },
    }],
  };
  await ingest(integration, update, { db: db(), pickManager: async () => null, now: () => clock });
  const row = (await db().select().from(messages).where(eq(messages.externalId, externalId)).get())!;
  expect(row.attachments).toMatchObject([{ pending: true }]);
  return { messageId: row.id, chatId: row.chatId };
}

const attachmentOf = async (messageId: string) => {
  const row = (await db().select().from(messages).where(eq(messages.id, messageId)).get())!;
  const [attachment] = row.attachments as { pending?: boolean; error?: string; key?: string; size?: number }[];
  return { ...attachment, nextAttemptAt: row.nextAttemptAt };
};
const keptFor = async (chatId: string) => (await env.MEDIA.list({ prefix: `${chatId}-` })).objects;
const viberUrl = () => `https://dl-media.viber.com/5/media/2/short/any/sig/file/${uniq()}.bin?Expires=1754046117&Signature=x`;

/** Runs the job until it settles, moving the clock past each retry; returns the outcomes. */
async function runToTheEnd(messageId: string) {
  const outcomes = [];
  for (let i = 0; i < MEDIA_MAX_ATTEMPTS + 1; i++) {
    const outcome = await fetchInboundMedia(deps, messageId);
    outcomes.push(outcome);
    if (outcome.kind !== 'retry') break;
    clock += outcome.delaySeconds * 1000 + 1;
  }
  return outcomes;
}

describe('inbound media downloads are bounded', () => {
  it('a media URL outside the Viber media hosts is never fetched; the attachment records why', async () => {
    for (const ref of ['http://169.254.169.254/latest/meta-data/', 'https://dl-media.viber.com.evil.example/x.jpg', 'http://127.0.0.1:8787/api/users']) {
      const { messageId, chatId } = await clientFile('viber', { ref });
      expect(await fetchInboundMedia(deps, messageId)).toMatchObject({ kind: 'done' });
      const attachment = await attachmentOf(messageId);
      expect(attachment.pending).toBeUndefined();
      expect(attachment.error).toMatch(/is not one of this messenger's media hosts/);
      expect(attachment.nextAttemptAt).toBeNull();
      expect(fake.calls.filter((c) => c.url.startsWith(ref.slice(0, 20)))).toEqual([]);
      expect(await keptFor(chatId)).toEqual([]);
    }
  });

  it('a body past 20 MiB is cut off and recorded, without a retry; nothing is kept', async () => {
    roomForBigFiles();
    const undeclared = streamedFile(21 * MiB);
    const declared = streamedFile(25 * MiB, { declare: true });
    fake.failNext('media', undeclared.reply, declared.reply);
    for (const file of [undeclared, declared]) {
      const { messageId, chatId } = await clientFile('viber', { ref: viberUrl() });
      expect(await fetchInboundMedia(deps, messageId)).toMatchObject({ kind: 'done' });
      expect(await attachmentOf(messageId)).toMatchObject({ error: 'The file is larger than 20 MiB', nextAttemptAt: null });
      expect(await keptFor(chatId)).toEqual([]);
      // Reading stopped at the cap (one chunk past it at most), or before the first byte when it was declared.
      expect(file.pulled()).toBeLessThanOrEqual(20 * MiB + 128 * 1024);
    }
    expect(declared.pulled()).toBeLessThan(MiB);
  });

  it('Telegram downloads have the same cap', async () => {
    roomForBigFiles();
    const big = streamedFile(21 * MiB);
    fake.failNext('media', big.reply);
    const { messageId } = await clientFile('telegram', { ref: 'AgACAgQAAxkBAAMD' });
    expect(await fetchInboundMedia(deps, messageId)).toMatchObject({ kind: 'done' });
    expect(await attachmentOf(messageId)).toMatchObject({ error: 'The file is larger than 20 MiB' });
    expect(big.pulled()).toBeLessThan(21 * MiB);
  });

  it('a server that stops sending, or never answers, times out; after the last try the attachment says so', async () => {
    const stalled = () => streamedFile(MiB, { stallAfter: 64 * 1024 }).reply();
    const silent = () => new Promise<Response>(() => {});
    fake.failNext('media', ...Array.from({ length: MEDIA_MAX_ATTEMPTS }, (_, i) => (i % 2 ? silent : stalled)));
    const { messageId, chatId } = await clientFile('viber', { ref: viberUrl() });
    const started = Date.now();
    const outcomes = await runToTheEnd(messageId);
    expect(Date.now() - started).toBeLessThan(MEDIA_MAX_ATTEMPTS * TIMEOUT_MS + 5_000);
    expect(outcomes.slice(0, -1)).toEqual(Array(MEDIA_MAX_ATTEMPTS - 1).fill(expect.objectContaining({ kind: 'retry', reason: `The messenger did not send the file within ${TIMEOUT_MS / 1000} s` })));
    expect(outcomes.at(-1)).toMatchObject({ kind: 'done' });
    expect((await attachmentOf(messageId)).error).toBe(`The file could not be downloaded from the messenger (The messenger did not send the file within ${TIMEOUT_MS / 1000} s)`);
    expect(await keptFor(chatId)).toEqual([]);
  });

  it('large files stream into R2 whole, with or without a declared length', async () => {
    roomForBigFiles();
    const undeclared = streamedFile(12 * MiB + 3);
    const declared = streamedFile(6 * MiB, { declare: true });
    fake.failNext('media', undeclared.reply, declared.reply);
    for (const size of [12 * MiB + 3, 6 * MiB]) {
      const { messageId } = await clientFile('viber', { ref: viberUrl() });
      expect(await fetchInboundMedia(deps, messageId)).toMatchObject({ kind: 'done' });
      const attachment = await attachmentOf(messageId);
      expect(attachment).toMatchObject({ size, nextAttemptAt: null });
      expect(attachment.error).toBeUndefined();
      const object = (await env.MEDIA.get(attachment.key!))!;
      const bytes = new Uint8Array(await object.arrayBuffer());
      expect(bytes.byteLength).toBe(size);
      // Each 64 KiB chunk is filled with (its offset % 251): the parts were joined in order.
      for (const offset of [0, 64 * 1024, 5 * MiB, 5 * MiB + 64 * 1024, size - 1]) expect(bytes[offset]).toBe((offset - (offset % (64 * 1024))) % 251);
    }
  });
});
