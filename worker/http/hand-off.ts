/**
 * After a write is stored: make sure the outbox will see its rows (the sweeper is awake, before answering),
 * then — after the response — publish the live changes, enqueue deliveries and fetch client files.
 */
import type { LiveRows } from '../data/live-reads';
import type { LiveChange } from '../domain/live';
import { fetchInboundMedia } from '../domain/outbound';
import { outboxDeps } from '../outbox-deps';
import type { Env, OutboxMessage } from '../env';
import { keepSweeperAwake } from '../objects/outbox-sweeper';
import { publisherVia } from '../objects/publish';
import { describeError } from '../log-error';

export interface StoredWork {
  changes: LiveChange[];
  /** Outgoing message ids to deliver, and their chat. */
  outbound: OutboxMessage[];
  /** Incoming message ids whose files to fetch. */
  media: string[];
  /** The rows the live frames of `changes` need, when the write already returned them (no read-back). */
  liveRows?: LiveRows;
}

/** Arms the sweeper now (the durable promise), and queues the rest on `ctx.waitUntil`. */
export async function handOff(env: Env, ctx: ExecutionContext, work: StoredWork): Promise<void> {
  if (!work.changes.length && !work.outbound.length && !work.media.length) return;
  if (work.outbound.length || work.media.length) {
    // Stored rows carry next_attempt_at; once the sweeper is awake they are re-driven even if what follows is lost.
    await keepSweeperAwake(env).catch((err) => console.error('outbox: could not arm the sweeper', describeError(err)));
  }
  ctx.waitUntil(afterResponse(env, work));
}

async function afterResponse(env: Env, work: StoredWork): Promise<void> {
  const publish = publisherVia(env);
  // Neither waits for the other: a reply's delivery need not follow the live frames' D1 read and RPCs.
  await Promise.all([
    publish(work.changes, work.liveRows).catch((err) => console.error('publish failed', describeError(err))),
    work.outbound.length > 0 && env.OUTBOX.sendBatch(work.outbound.map((body) => ({ body })))
      .catch((err) => console.error('outbox: enqueue failed (the sweeper will re-drive)', describeError(err))),
  ]);
  // Viber's media URLs expire within the hour: fetch right away rather than wait for the queue.
  const deps = outboxDeps(env);
  for (const messageId of work.media) {
    try {
      const outcome = await fetchInboundMedia(deps, messageId);
      if (outcome.kind === 'retry') await env.OUTBOX.send({ messageId }, { delaySeconds: outcome.delaySeconds });
      await publish(outcome.changes);
    } catch (err) {
      console.error('media fetch failed (the sweeper will re-drive)', messageId, describeError(err));
    }
  }
}
