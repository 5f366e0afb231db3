import { For, Match, Show, Switch } from 'solid-js';
import type { Attachment, MessageStatus, TimelineEvent } from '../../api/types';
import { t } from '../../i18n';
import { formatBytes, formatDateTime, formatTime } from '../../lib/format';
import { RichText } from '../../lib/rich-text';
import { canWrite, me, userName } from '../../state/session';
import type { LocalMessage } from './timeline-store';
import { ReplyActions, type ReplyChanges } from './reply-actions';

/** Only http(s), same-origin paths and our own blob: previews may become src/href. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'blob:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const isImage = (a: Attachment) => a.mimeType?.startsWith('image/') || a.kind === 'photo' || a.kind === 'sticker';

function Ticks(props: { status: MessageStatus }) {
  return (
    <span class={`ticks ticks-${props.status}`} title={t(`status.${props.status}`)} data-testid="message-status" data-status={props.status}>
      <Switch>
        <Match when={props.status === 'sending'}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5" />
            <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
          </svg>
        </Match>
        <Match when={props.status === 'sent'}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" stroke-width="1.6" />
          </svg>
        </Match>
        <Match when={props.status === 'delivered' || props.status === 'seen'}>
          <svg viewBox="0 0 20 16" width="17" height="14" aria-hidden="true">
            <path d="M1.5 8.5l3 3 7-7M8 11.5l7-7" fill="none" stroke="currentColor" stroke-width="1.6" />
          </svg>
        </Match>
        <Match when={props.status === 'failed'}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <circle cx="8" cy="8" r="7" fill="currentColor" />
            <path d="M8 4v5M8 11v1.2" stroke="#fff" stroke-width="1.8" />
          </svg>
        </Match>
      </Switch>
      <span class="sr-only">{t(`status.${props.status}`)}</span>
    </span>
  );
}

function FileLink(props: { a: Attachment; href: string }) {
  return (
    <Show
      when={isImage(props.a)}
      fallback={
        <a class="file" href={props.href} target="_blank" rel="noopener noreferrer" download={props.a.name}>
          📎 {props.a.name ?? t('msg.attachment')}
          <Show when={props.a.size}>
            <span class="muted"> ({formatBytes(props.a.size ?? undefined)})</span>
          </Show>
        </a>
      }
    >
      <a href={props.href} target="_blank" rel="noopener noreferrer" class="image-link">
        <img src={props.href} alt={props.a.name ?? t('msg.attachment')} loading="lazy" class="image" data-testid="message-image" />
      </a>
    </Show>
  );
}

/** Files, images, a shared location or contact card; a file still being fetched shows as pending. */
function Attachments(props: { items: Attachment[] }) {
  return (
    <div class="attachments">
      <For each={props.items}>
        {(a) => {
          const href = safeUrl(a.url ?? undefined);
          if (a.latitude !== undefined && a.longitude !== undefined) {
            const map = `https://www.openstreetmap.org/?mlat=${a.latitude}&mlon=${a.longitude}#map=16/${a.latitude}/${a.longitude}`;
            return (
              <a class="file" href={map} target="_blank" rel="noopener noreferrer">
                📍 {t('msg.location')} ({a.latitude.toFixed(5)}, {a.longitude.toFixed(5)})
              </a>
            );
          }
          if (a.phoneNumber) return <span class="file">📇 {[a.name, a.phoneNumber].filter(Boolean).join(' · ')}</span>;
          return (
            <Show
              when={href}
              fallback={
                <span class="file muted" data-testid="attachment-pending">
                  📎 {a.name ?? t('msg.attachment')} — {a.error ? t('msg.fileError', { error: a.error }) : t('msg.pending')}
                </span>
              }
            >
              <FileLink a={a} href={href!} />
            </Show>
          );
        }}
      </For>
    </div>
  );
}

export function MessageItem(props: {
  message: LocalMessage;
  highlight?: string;
  flash?: boolean;
  onRetry: (id: string) => void;
  replyChanges?: ReplyChanges;
  onChange?: (id: string, text: string | null) => Promise<boolean>;
}) {
  const m = () => props.message;
  const author = () => {
    if (m().direction === 'in') return null;
    if (m().origin === 'greeting') return t('msg.greeting');
    if (m().origin === 'auto_reply') return t('msg.autoReply');
    if (m().origin === 'out_of_office') return t('msg.outOfOffice');
    if (m().origin === 'csat') return t('msg.csat');
    if (!m().authorId) return t('common.bot');
    return m().authorId === me()?.id ? null : userName(m().authorId);
  };
  return (
    <div
      class={`msg msg-${m().direction}`}
      classList={{ flash: props.flash, failed: m().status === 'failed', deleted: !!m().deletedAt }}
      data-testid="timeline-message"
      data-item-id={m().id}
      data-direction={m().direction}
    >
      <div class="bubble">
        <Show when={author()}>
          <div class="msg-author">{author()}</div>
        </Show>
        <Show when={m().attachments?.length}>
          <Attachments items={m().attachments} />
        </Show>
        <Show when={m().text}>
          <div class="msg-text" data-testid="message-text">
            <RichText text={m().text} highlight={props.highlight} />
          </div>
        </Show>
        <div class="msg-meta">
          <Show when={m().deletedAt}>
            <span class="msg-deleted" data-testid="message-deleted" title={formatDateTime(m().deletedAt)}>{t('reply.deleted')}</span>
          </Show>
          <Show when={m().pendingChange}>
            <span class="muted">{t(m().pendingChange === 'edit' ? 'reply.editing' : 'reply.deleting')}</span>
          </Show>
          <Show when={m().editedAt}>
            <span title={formatDateTime(m().editedAt)}>{t('msg.edited')}</span>
          </Show>
          <time dateTime={m().createdAt} title={formatDateTime(m().createdAt)}>
            {formatTime(m().createdAt)}
          </time>
          <Show when={m().direction === 'out'}>
            <Ticks status={m().status} />
          </Show>
        </div>
      </div>
      <Show when={m().changeError}>
        <div class="msg-error" role="alert" data-testid="message-change-error">{t('reply.changeFailed', { error: m().changeError! })}</div>
      </Show>
      <Show when={props.onChange}>
        <ReplyActions message={m()} changes={props.replyChanges} onChange={props.onChange!} />
      </Show>
      <Show when={m().status === 'failed'}>
        <div class="msg-error" role="alert" data-testid="message-error">
          <span>{t('msg.failed', { error: m().error ?? t('error.generic') })}</span>
          <Show when={canWrite() && !m().retried && m().direction === 'out'}>
            <button type="button" class="btn btn-small" data-testid="message-retry" onClick={() => props.onRetry(m().id)}>
              {t('msg.retry')}
            </button>
          </Show>
        </div>
      </Show>
    </div>
  );
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The sentence for a timeline event, built from whatever `data` carries (shapes are lenient). */
export function eventText(ev: TimelineEvent): string {
  const d = ev.data ?? {};
  const actor = ev.actorId ? userName(ev.actorId) : t('common.bot');
  const title = str(d.title) ?? str(d.name) ?? '';
  switch (ev.type) {
    case 'opened':
    case 'greeting_sent':
    case 'auto_reply_sent':
    case 'out_of_office_sent':
    case 'client_unsubscribed':
    case 'client_resubscribed':
    case 'csat_asked':
    case 'csat_cancelled':
      return t(`event.${ev.type as 'opened'}`);
    case 'message_edited':
      return d.byAgent ? t('event.message_edited.agent', { actor }) : t('event.message_edited');
    case 'message_deleted':
      return t('event.message_deleted', { actor });
    case 'csat_rated':
      return t('event.csat_rated', { rating: String(d.rating ?? '') });
    case 'csat_commented':
      return t('event.csat_commented', { comment: str(d.comment) ?? '' });
    case 'assigned': {
      const user = userName(str(d.responsibleId) ?? str(d.userId));
      if (d.byQueue) return t('event.assignedQueue', { user });
      return ev.actorId ? t('event.assigned', { actor, user }) : t('event.assignedAuto', { user });
    }
    case 'reassigned':
      return t('event.reassigned', { minutes: String(d.minutes ?? ''), from: userName(str(d.previousId)), to: userName(str(d.responsibleId)) });
    case 'reopened':
      return d.byClient ? t('event.reopenedByClient') : ev.actorId ? t('event.reopenedBy', { actor }) : t('event.reopened');
    case 'unassigned':
    case 'closed':
    case 'muted':
    case 'unmuted':
      return t(`event.${ev.type as 'closed'}`, { actor });
    case 'observers_changed': {
      const ids = strs(d.observerIds ?? d.userIds);
      return t('event.observers_changed', { actor, users: ids.length ? ids.map(userName).join(', ') : t('common.nobody') });
    }
    case 'tags_changed':
      return t('event.tags_changed', { actor, tags: strs(d.tags).join(', ') || t('common.none') });
    case 'opportunity_created':
      return t('event.opportunity_created', { title });
    case 'linked':
    case 'unlinked':
      return t(`event.${ev.type as 'linked'}`, { actor, title });
    case 'commented':
      return t('event.commented', { actor, text: str(d.text) ?? '' });
    case 'contact_merged':
      return t('event.contact_merged', { name: str(d.mergedName) ?? '' });
    default:
      return t('event.other', { type: ev.type });
  }
}

export function EventLine(props: { event: TimelineEvent }) {
  return (
    <div class="event-line" data-testid="timeline-event" data-item-id={props.event.id} data-event-type={props.event.type}>
      <span>
        {eventText(props.event)}
        <time dateTime={props.event.createdAt} title={formatDateTime(props.event.createdAt)}>
          {' · '}
          {formatTime(props.event.createdAt)}
        </time>
      </span>
    </div>
  );
}
