/**
 * The OUTBOX queue consumer. A queue message only names a row; the row in D1 says what is left to do.
 * Messages are handled one after another so replies to one chat leave in order.
 */
import { processOutboxMessage } from './domain/outbox-process';
import { outboxDeps } from './deps';
import type { Env, OutboxMessage } from './env';
import { armSweeperVia } from './objects/outbox-sweeper';
import { publisherVia } from './objects/publish';

/** Unexpected errors (D1 hiccups, bugs) are retried after this; the sweeper is the backstop. */
const ERROR_RETRY_SECONDS = 30;

export async function consumeOutbox(batch: MessageBatch<OutboxMessage>, env: Env): Promise<void> {
  const deps = outboxDeps(env);
  const publish = publisherVia(env);
  const arm = armSweeperVia(env);
  for (const msg of batch.messages) {
    const messageId = (msg.body as Partial<OutboxMessage> | null)?.messageId;
    if (typeof messageId !== 'string') {
      msg.ack();
      continue;
    }
    try {
      const outcome = await processOutboxMessage(deps, messageId);
      await publish(outcome.changes).catch((err) => console.error('publish failed', describe(err)));
      if (outcome.kind === 'retry') {
        msg.retry({ delaySeconds: outcome.delaySeconds });
        // The row's next_attempt_at moved; keep the persisted alarm in step in case this copy is lost.
        if (outcome.reason !== 'not due yet') await arm(Date.now() + outcome.delaySeconds * 1000).catch(() => {});
      } else {
        msg.ack();
      }
    } catch (err) {
      console.error('outbox: message', messageId, 'failed', describe(err));
      msg.retry({ delaySeconds: ERROR_RETRY_SECONDS });
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
