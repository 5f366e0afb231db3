/** Tiny inline SVG marks for the messengers (no icon font, no requests). */
import type { Channel } from '../api/types';

/** The messenger's proper name ("Telegram", "Viber"); unknown channels as they come. */
export function channelName(channel: Channel | string): string {
  return channel === 'telegram' ? 'Telegram' : channel === 'viber' ? 'Viber' : String(channel);
}

export function ChannelIcon(props: { channel: Channel | string; size?: number }) {
  const size = () => props.size ?? 16;
  return (
    <svg
      class={`channel-icon channel-${props.channel}`}
      width={size()}
      height={size()}
      viewBox="0 0 24 24"
      role="img"
      aria-label={channelName(props.channel)}
    >
      {props.channel === 'telegram' ? (
        <>
          <circle cx="12" cy="12" r="12" fill="#2AABEE" />
          <path d="M5.4 11.8l11.6-4.5c.5-.2 1 .1.8.9l-2 9.3c-.1.6-.5.8-1 .5l-3-2.2-1.5 1.4c-.2.2-.3.3-.6.3l.2-3.1 5.6-5.1c.2-.2 0-.3-.4-.1l-7 4.4-3-.9c-.6-.2-.6-.6.3-.9z" fill="#fff" />
        </>
      ) : props.channel === 'viber' ? (
        <>
          <circle cx="12" cy="12" r="12" fill="#7360F2" />
          <path d="M9 6.5c-.4-.3-1-.3-1.4.1l-.9.9c-.6.7-.5 2.1.6 3.9 1.5 2.6 3.6 4.6 6.2 6 1.7.9 3 1 3.7.4l.9-.9c.4-.4.4-1 0-1.4l-1.6-1.3c-.4-.3-1-.3-1.3.1l-.6.6c-1.6-.7-2.9-2-3.6-3.6l.6-.6c.4-.4.4-.9.1-1.3z" fill="#fff" />
        </>
      ) : (
        <circle cx="12" cy="12" r="12" fill="#94a3b8" />
      )}
    </svg>
  );
}
