import { createSignal, Show } from 'solid-js';
import type { ChatDetails } from '../../api/types';
import { channelName } from '../../components/channel-icon';
import { t } from '../../i18n';
import { canWrite, isAdmin, me } from '../../state/session';
import type { LocalMessage } from './timeline-store';

export type ReplyChanges = { channel: string; allowed: ChatDetails['replyChanges'] };

const SENT = ['sent', 'delivered', 'seen'];

/** Whether the current user may change this message at all (the server decides again): their own sent reply, or an admin. */
export function mayChange(m: LocalMessage): boolean {
  if (!canWrite() || m.local || m.direction !== 'out' || m.origin !== 'agent' || m.deletedAt) return false;
  if (!SENT.includes(m.status) || m.attachments?.length) return false;
  return m.authorId === me()?.id || isAdmin();
}

/**
 * Edit / delete under a sent reply. Where the messenger cannot (Viber) the buttons are not offered and a
 * note says why; a delete past the messenger's window is not offered either, with its reason as tooltip.
 */
export function ReplyActions(props: {
  message: LocalMessage;
  changes: ReplyChanges | undefined;
  onChange: (id: string, text: string | null) => Promise<boolean>;
}) {
  const [editing, setEditing] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [draft, setDraft] = createSignal('');
  const m = () => props.message;
  const allowed = () => props.changes?.allowed ?? null;
  const deletable = () => {
    const a = allowed();
    return !!a && Date.now() - new Date(m().createdAt).getTime() < a.deleteWithinHours * 3_600_000;
  };
  async function save() {
    const text = draft().trim();
    if (!text || text === m().text) return setEditing(false);
    if (await props.onChange(m().id, text)) setEditing(false);
  }
  async function remove() {
    if (await props.onChange(m().id, null)) setConfirming(false);
  }
  return (
    <Show when={props.changes && mayChange(m())}>
      <Show
        when={allowed()}
        fallback={
          <span class="reply-actions muted" data-testid="reply-cannot-change" title={t('reply.cannotChangeWhy', { channel: channelName(props.changes!.channel) })}>
            {t('reply.cannotChange')} ⓘ
          </span>
        }
      >
        <Show
          when={editing()}
          fallback={
            <span class="reply-actions">
              <Show when={allowed()!.edit}>
                <button type="button" class="link-btn" data-testid="reply-edit" onClick={() => (setDraft(m().text), setEditing(true))}>
                  {t('reply.edit')}
                </button>
              </Show>
              <Show
                when={confirming()}
                fallback={
                  <button
                    type="button"
                    class="link-btn"
                    data-testid="reply-delete"
                    disabled={!deletable()}
                    title={deletable() ? undefined : t('reply.tooOldToDelete', { hours: allowed()!.deleteWithinHours })}
                    onClick={() => setConfirming(true)}
                  >
                    {t('reply.delete')}
                  </button>
                }
              >
                <span role="alert">{t('reply.confirmDelete')}</span>
                <button type="button" class="link-btn" data-testid="reply-delete-confirm" onClick={() => void remove()}>
                  {t('reply.delete')}
                </button>
                <button type="button" class="link-btn" onClick={() => setConfirming(false)}>
                  {t('reply.cancel')}
                </button>
              </Show>
            </span>
          }
        >
          <form class="reply-edit" onSubmit={(e) => (e.preventDefault(), void save())}>
            <textarea
              aria-label={t('reply.editLabel')}
              data-testid="reply-edit-text"
              value={draft()}
              maxLength={4096}
              onInput={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditing(false);
                if (e.key === 'Enter' && !e.shiftKey) (e.preventDefault(), void save());
              }}
            />
            <button type="submit" class="btn btn-small btn-primary" data-testid="reply-edit-save">{t('reply.save')}</button>
            <button type="button" class="btn btn-small" onClick={() => setEditing(false)}>{t('reply.cancel')}</button>
          </form>
        </Show>
      </Show>
    </Show>
  );
}
