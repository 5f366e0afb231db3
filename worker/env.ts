import type { BotQueue } from './objects/bot-queue';
import type { ChatRoom } from './objects/chat-room';
import type { InboxFeed } from './objects/inbox-feed';
import type { OutboxSweeper } from './objects/outbox-sweeper';
import type { SessionUser } from './domain/access';
import type { OutboxMessage } from './domain/outbound';

export type { OutboxMessage };

/** Everything wrangler.toml binds, plus secrets. */
export interface Env {
  DB: D1Database;
  BOT_QUEUE: DurableObjectNamespace<BotQueue>;
  CHAT_ROOM: DurableObjectNamespace<ChatRoom>;
  INBOX_FEED: DurableObjectNamespace<InboxFeed>;
  OUTBOX_SWEEPER: DurableObjectNamespace<OutboxSweeper>;
  OUTBOX: Queue<OutboxMessage>;
  MEDIA: R2Bucket;
  ASSETS: Fetcher;
  PUBLIC_URL: string;
  TELEGRAM_API_BASE: string;
  VIBER_API_BASE: string;
  ENCRYPTION_KEY: string;
}


/** Hono context: bindings and per-request variables. */
export type AppEnv = {
  Bindings: Env;
  Variables: { user: SessionUser | null; requestId: string };
};
