import { app } from './app';
import type { Env, OutboxMessage } from './env';

export { BotQueue } from './objects/bot-queue';
export { ChatRoom } from './objects/chat-room';
export { InboxFeed } from './objects/inbox-feed';

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<OutboxMessage>, env: Env, ctx: ExecutionContext) {
    void batch; void env; void ctx;
  },
} satisfies ExportedHandler<Env, OutboxMessage>;
