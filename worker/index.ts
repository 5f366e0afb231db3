import { app } from './app';
import type { Env, OutboxMessage } from './env';
import { wakeSweeperOnce } from './objects/outbox-sweeper';
import { consumeOutbox } from './queue-consumer';
import { database } from './data/db';
import { purgeStaleRows } from './domain/cleanup';

export { BotQueue } from './objects/bot-queue';
export { ChatRoom } from './objects/chat-room';
export { InboxFeed } from './objects/inbox-feed';
export { OutboxSweeper } from './objects/outbox-sweeper';

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    wakeSweeperOnce(env, ctx);
    return app.fetch(request, env, ctx);
  },
  async queue(batch: MessageBatch<OutboxMessage>, env: Env, ctx: ExecutionContext) {
    await consumeOutbox(batch, env, ctx);
  },
  /** The Cron Trigger ([triggers] in wrangler.toml): expired sessions and stale dedup/throttle rows go. */
  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    const purged = await purgeStaleRows(database(env.DB));
    console.log('cleanup', JSON.stringify(purged));
  },
} satisfies ExportedHandler<Env, OutboxMessage>;
