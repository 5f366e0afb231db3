import { app } from './app';
import type { Env, OutboxMessage } from './env';
import { consumeOutbox } from './queue-consumer';

export { BotQueue } from './objects/bot-queue';
export { ChatRoom } from './objects/chat-room';
export { InboxFeed } from './objects/inbox-feed';
export { OutboxSweeper } from './objects/outbox-sweeper';

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<OutboxMessage>, env: Env) {
    await consumeOutbox(batch, env);
  },
} satisfies ExportedHandler<Env, OutboxMessage>;
