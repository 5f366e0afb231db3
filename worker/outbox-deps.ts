/**
 * Builds domain dependencies from the Worker's bindings, in one place, so routes, the queue consumer
 * and Durable Objects wire the same things the same way.
 */
import { database } from './data/db';
import type { DeliveryDeps } from './domain/outbound';
import type { MediaDeps } from './domain/outbound';
import type { MessengerConfig } from './domain/integrations';
import { signedMediaUrl } from './domain/media';
import type { Env } from './env';

/**
 * Messenger access: a channel's API base comes from `<CHANNEL>_API_BASE` and the hosts its media may
 * be fetched from from `<CHANNEL>_MEDIA_HOSTS` (comma-separated), so a new messenger needs no code here.
 */
export function messengerConfig(env: Env): MessengerConfig {
  const vars = env as unknown as Record<string, unknown>;
  return {
    apiBase: (channel) => {
      const base = vars[`${channel.toUpperCase()}_API_BASE`];
      return typeof base === 'string' && base ? base : undefined;
    },
    mediaHosts: (channel) => {
      const hosts = vars[`${channel.toUpperCase()}_MEDIA_HOSTS`];
      return typeof hosts === 'string' ? hosts.split(',').map((h) => h.trim()).filter(Boolean) : [];
    },
    encryptionKey: env.ENCRYPTION_KEY,
  };
}

/** What the outbox needs to deliver messages and keep inbound files. */
export function outboxDeps(env: Env): DeliveryDeps & MediaDeps {
  return {
    db: database(env.DB),
    messengers: messengerConfig(env),
    mediaUrl: (key) => signedMediaUrl({ publicUrl: env.PUBLIC_URL, secret: env.ENCRYPTION_KEY }, key),
    bucket: env.MEDIA,
  };
}
