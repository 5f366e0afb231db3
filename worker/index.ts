import { app } from './app';
import type { Env, OutboxMessage } from './env';
import { wakeSweeperOnce } from './objects/outbox-sweeper';
import { consumeOutbox } from './queue-consumer';

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
} satisfies ExportedHandler<Env, OutboxMessage>;
