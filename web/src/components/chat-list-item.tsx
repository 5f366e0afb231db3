import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import type { ChatListItem } from '../api/types';
import { t, tn } from '../i18n';
import { formatDateTime, formatRelative } from '../lib/format';
import { ChannelIcon } from './channel-icon';

/** One row of a chat list (inbox groups and archive). */
export function ChatListRow(props: { chat: ChatListItem; active?: boolean; tabIndex?: number; onFocus?: () => void }) {
  const c = () => props.chat;
  return (
    <A
      href={`/chats/${c().id}`}
      class="chat-row"
      classList={{ active: props.active, unread: c().unread }}
      aria-current={props.active ? 'page' : undefined}
      tabIndex={props.tabIndex}
      onFocus={() => props.onFocus?.()}
      data-testid="chat-list-item"
      data-chat-id={c().id}
    >
      <span class="chat-row-top">
        <span class="chat-row-name" data-testid="chat-list-item-name">
          {c().contact.name}
        </span>
        <time class="chat-row-time" dateTime={c().lastMessageAt ?? undefined} title={formatDateTime(c().lastMessageAt)}>
          {formatRelative(c().lastMessageAt)}
        </time>
      </span>
      <span class="chat-row-source">
        <ChannelIcon channel={c().integration.channel} size={14} />
        <span>{c().integration.name}</span>
      </span>
      <span class="chat-row-bottom">
        <span class="chat-row-preview">{c().lastMessagePreview || t('list.noMessages')}</span>
        <Show when={c().unread}>
          <span class="badge" data-testid="unread-badge" aria-label={tn('list.unread', c().unreadCount)}>
            {c().unreadCount >= 99 ? '99+' : c().unreadCount || ''}
          </span>
        </Show>
      </span>
    </A>
  );
}
