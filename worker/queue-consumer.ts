/**
 * The OUTBOX queue consumer. A queue message only names a row; the row in D1 says what is left to do.
 * Different chats are handled side by side (one slow messenger call must not hold up every other
 * chat); one chat's messages go one after another, oldest first, so replies leave in order.
 */
import { batchTogether, lookAndClaimMany, processOutboxMessage, type DeliveryDeps, type Looked, type MediaDeps } from './domain/outbound';
import { clock } from './domain/runtime';
import { outboxDeps } from './outbox-deps';
import type { Env, OutboxMessage } from './env';
import { armSweeperVia, wakeSweeperOnce } from './objects/outbox-sweeper';
import { publisherVia } from './objects/publish';
import { describeError } from './log-error';

/** Unexpected errors (D1 hiccups, bugs) are retried after this; the sweeper is the backstop. */
const ERROR_RETRY_SECONDS = 30;
/** Replies of one chat sent in one go before the rest is handed back to the queue. */
const CHAIN_BUDGET = 20;
/**
 * How long a sent reply's record waits for other chats' to share their D1 batch: the sends of one queue
 * batch start together and mostly finish within a few milliseconds of each other.
 */
const RECORD_WINDOW_MS = 10;

type Work = { msg?: Message<OutboxMessage>; body: OutboxMessage };

export async function consumeOutbox(
  batch: MessageBatch<OutboxMessage>,
  env: Env,
  ctx: { waitUntil(p: Promise<unknown>): void },
  { recordWindowMs = RECORD_WINDOW_MS }: { recordWindowMs?: number } = {},
): Promise<void> {
  wakeSweeperOnce(env, ctx);
  const groups = new Map<string, Work[]>();
  for (const msg of batch.messages) {
    const body = msg.body as Partial<OutboxMessage> | null;
    if (typeof body?.messageId !== 'string') {
      msg.ack();
      continue;
    }
    const key = typeof body.chatId === 'string' ? body.chatId : body.messageId;
    groups.set(key, [...(groups.get(key) ?? []), { msg, body: { messageId: body.messageId, chatId: body.chatId } }]);
  }
  // Ids grow with time, so sorting by id puts a chat's older message first.
  const chats = [...groups.values()].map((work) => work.sort((a, b) => (a.body.messageId < b.body.messageId ? -1 : 1)));
  const deps = outboxDeps(env);
  const heads = await lookAtHeads(deps, chats.map((work) => work[0].body.messageId));
  const claimed = [...heads.looked.values()].filter((look) => look.claim).length;
  const joined = { ...deps, recordBatch: batchTogether(deps.db, { expected: claimed, windowMs: recordWindowMs }) };
  await Promise.all(chats.map((work) => consumeChat(env, joined, work, heads)));
}

/**
 * The first message of every chat in the batch, looked at and claimed in one D1 round trip (a chat's
 * later messages wait for it and are looked at in turn). If that batch fails, each looks on its own.
 */
async function lookAtHeads(deps: DeliveryDeps, messageIds: string[]): Promise<{ looked: Map<string, Looked>; t: number }> {
  const t = clock(deps);
  const looked = await lookAndClaimMany(deps.db, messageIds, t).catch((err) => {
    console.error('outbox: looking at the batch failed; each message looks on its own', describeError(err));
    return new Map<string, Looked>();
  });
  return { looked, t };
}

/** One chat's messages in order; a delivered one hands on the chat's next waiting reply. */
async function consumeChat(env: Env, deps: DeliveryDeps & MediaDeps, work: Work[], heads: { looked: Map<string, Looked>; t: number }): Promise<void> {
  const publish = publisherVia(env);
  const arm = armSweeperVia(env);
  const waiting = new Set(work.map((w) => w.body.messageId));
  let chained = 0;
  for (let i = 0; i < work.length; i++) {
    const { msg, body } = work[i];
    waiting.delete(body.messageId);
    try {
      const head = i === 0 ? takeHead(heads.looked, body.messageId) : undefined;
      const outcome = await processOutboxMessage(deps, body.messageId, head && { looked: head, t: heads.t });
      await publish(outcome.changes, outcome.kind === 'done' ? outcome.liveRows : undefined).catch((err) => console.error('publish failed', describeError(err)));
      if (outcome.kind === 'retry') {
        if (msg) msg.retry({ delaySeconds: outcome.delaySeconds });
        else await env.OUTBOX.send(body, { delaySeconds: outcome.delaySeconds });
        // The row's next_attempt_at moved; keep the persisted alarm in step in case this copy is lost.
        if (outcome.reason !== 'not due yet') await arm(Date.now() + outcome.delaySeconds * 1000).catch(() => {});
      } else {
        msg?.ack();
        const next = outcome.kind === 'done' ? outcome.next : undefined;
        if (next && !waiting.has(next.messageId)) {
          waiting.add(next.messageId);
          if (chained++ < CHAIN_BUDGET) work.push({ body: next });
          else await env.OUTBOX.send(next);
        }
      }
    } catch (err) {
      console.error('outbox: message', body.messageId, 'failed', describeError(err));
      if (msg) msg.retry({ delaySeconds: ERROR_RETRY_SECONDS });
      // A handed-on message that failed here is left to the sweeper: its row is still due.
    }
  }
}

/**
 * A look with its claim goes to one chat only: the same message id queued once with its chat and once
 * without (an older deploy's payload) makes two groups, and two holders of one claim would both send.
 */
function takeHead(looked: Map<string, Looked>, messageId: string): Looked | undefined {
  const head = looked.get(messageId);
  looked.delete(messageId);
  return head;
}
