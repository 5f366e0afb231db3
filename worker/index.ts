import { app, webhookApp } from './app';
import { isWorkerPath, serveAsset } from './http/security-headers';
import type { Env, OutboxMessage } from './env';
import { wakeSweeperOnce } from './objects/outbox-sweeper';
import { consumeOutbox } from './queue-consumer';
import { database } from './data/db';
import { purgeStaleRows } from './domain/cleanup';
import { archiveColdHistory, defaultRetentionMonths, retentionMonths } from './domain/history';
import { migrateIntegrationSecrets } from './domain/integrations';

export { BotQueue } from './objects/bot-queue';
export { ChatRoom } from './objects/chat-room';
export { InboxFeed } from './objects/inbox-feed';
export { OutboxSweeper } from './objects/outbox-sweeper';

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    wakeSweeperOnce(env, ctx);
    // Every request reaches the Worker (run_worker_first = true) so the UI's files get security headers too.
    const path = new URL(request.url).pathname;
    if (!isWorkerPath(path)) return serveAsset(request, env);
    return (path.startsWith('/webhooks/') ? webhookApp : app).fetch(request, env, ctx);
  },
  async queue(batch: MessageBatch<OutboxMessage>, env: Env, ctx: ExecutionContext) {
    await consumeOutbox(batch, env, ctx);
  },
  /** The Cron Trigger ([triggers] in wrangler.toml): expired sessions and stale dedup/throttle rows go; cold history moves to R2. */
  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    const db = database(env.DB);
    const purged = await purgeStaleRows(db);
    // Secrets in an old format (raw-key tokens, plain webhook secrets) move to the current one.
    const migrated = await migrateIntegrationSecrets(db, env.ENCRYPTION_KEY).catch((err) => {
      console.error('cleanup: integration secrets not migrated', err instanceof Error ? err.message : err);
      return 0;
    });
    // Cold history to R2, bounded per run (ARCHIVE_LIMITS); a failure leaves both copies readable and the next run goes on.
    const history = await retentionMonths(db, defaultRetentionMonths(env.ARCHIVE_AFTER_MONTHS))
      .then((months) => archiveColdHistory({ db, bucket: env.MEDIA }, months))
      .catch((err) => {
        console.error('cleanup: cold history not moved', err instanceof Error ? err.message : err);
        return null;
      });
    console.log('cleanup', JSON.stringify({ ...purged, integrationSecretsMigrated: migrated, history }));
  },
} satisfies ExportedHandler<Env, OutboxMessage>;
