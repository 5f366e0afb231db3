/** Every messenger Ponte speaks. Adding one = a new adapter file + one line in `adapters`. */
import { randomHex } from './crypto';
import { telegramAdapter } from './telegram';
import type { MessengerAdapter } from './types';
import { viberAdapter } from './viber';

export const channels = ['telegram', 'viber'] as const;
export type Channel = (typeof channels)[number];

const adapters: Record<Channel, MessengerAdapter> = {
  telegram: telegramAdapter,
  viber: viberAdapter,
};

/** The adapter for a channel name from a URL or the database; undefined for names we do not speak. */
export function getAdapter(channel: string): MessengerAdapter | undefined {
  return Object.hasOwn(adapters, channel) ? adapters[channel as Channel] : undefined;
}

/** True when `channel` is one of `channels` (narrows the type). */
export function isChannel(channel: string): channel is Channel {
  return (channels as readonly string[]).includes(channel);
}

/**
 * A fresh per-channel webhook secret: 48 hex chars (24 random bytes). Hex fits Telegram's secret_token
 * charset (A-Z a-z 0-9 _ -), which base64 does not.
 */
export function generateWebhookSecret(): string {
  return randomHex(24);
}
