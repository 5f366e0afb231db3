/**
 * Opens an integration's messenger: the adapter for its channel and an API context with the decrypted
 * token. The only place tokens are decrypted for the outbox, webhooks and setup.
 */
import { getAdapter } from '../../messengers/registry';
import type { AdapterContext, MessengerAdapter } from '../../messengers/types';
import { decryptToken } from './token-vault';

export interface MessengerConfig {
  /** The API base URL for a channel (wired from `<CHANNEL>_API_BASE`), so no code branches on names. */
  apiBase: (channel: string) => string | undefined;
  /** ENCRYPTION_KEY. */
  encryptionKey: string;
  /** Injected by tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Hosts a channel's inbound media may come from besides its API base (wired from `<CHANNEL>_MEDIA_HOSTS`). */
  mediaHosts?: (channel: string) => string[];
  /** Overrides the media download bounds of messengers/download.ts (tests shorten them). */
  mediaLimits?: { maxBytes?: number; timeoutMs?: number };
}

export interface OpenMessenger {
  adapter: MessengerAdapter;
  ctx: AdapterContext;
}

/** The adapter and a ready context for a channel and a clear-text token; throws for unknown channels. */
export function messengerFor(cfg: MessengerConfig, channel: string, token: string): OpenMessenger {
  const adapter = getAdapter(channel);
  const apiBase = cfg.apiBase(channel);
  if (!adapter) throw new Error(`No adapter for channel ${channel}`);
  if (!apiBase) throw new Error(`No API base configured for channel ${channel}`);
  const media = { hosts: cfg.mediaHosts?.(channel) ?? [], ...cfg.mediaLimits };
  return { adapter, ctx: { apiBase: apiBase.replace(/\/+$/, ''), token, media, ...(cfg.fetch ? { fetch: cfg.fetch } : {}) } };
}

/** Like `messengerFor`, decrypting the stored token of an integration row. */
export async function openMessenger(cfg: MessengerConfig, integration: { channel: string; tokenEncrypted: string }): Promise<OpenMessenger> {
  return messengerFor(cfg, integration.channel, await decryptToken(cfg.encryptionKey, integration.tokenEncrypted));
}

/** Removes a token from text that may be stored or logged (a network error can echo the request URL). */
export function withoutToken(text: string, token: string): string {
  return token ? text.split(token).join('[token]') : text;
}
