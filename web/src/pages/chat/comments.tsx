import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, errorText } from '../../api';
import type { Comment, TimelineEvent } from '../../api/types';
import { ErrorBox, Loading } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { canWrite, me, userName } from '../../state/session';
import { readMentions } from '../../state/mentions';
import { createMentionPicker } from './mention-picker';
import { LOCAL_PREFIX, withComment } from './comment-list';

export interface CommentsModel {
  chatId: string;
  state: { items: Comment[]; status: 'loading' | 'ready' | 'error'; error: string | null };
  load: () => Promise<void>;
  receive: (c: Comment) => void;
  /** A `commented` timeline event from the chat's live socket (data: {commentId, text}). */
  receiveEvent: (ev: TimelineEvent) => void;
  add: (text: string, mentions?: string[]) => Promise<boolean>;
}

export function createComments(chatId: string): CommentsModel {
  const [state, setState] = createStore<CommentsModel['state']>({ items: [], status: 'loading', error: null });
  const receive = (c: Comment) => setState('items', (l) => withComment(l, c));
  return {
    chatId,
    state,
    receive,
    receiveEvent(ev) {
      const id = ev.data?.commentId;
      const text = ev.data?.text;
      if (typeof id !== 'string' || typeof text !== 'string') return void this.load();
      const mentions = Array.isArray(ev.data?.mentions) ? (ev.data.mentions as unknown[]).filter((m): m is string => typeof m === 'string') : [];
      receive({ id, chatId, authorId: ev.actorId ?? '', text, createdAt: ev.createdAt, mentions });
      // Mentioned while looking at the chat: it is read.
      if (me() && mentions.includes(me()!.id) && document.visibilityState === 'visible') void readMentions({ chatId });
    },
    async load() {
      setState({ status: 'loading', error: null });
      try {
        setState({ items: await api.chats.comments(chatId), status: 'ready' });
      } catch (e) {
        setState({ status: 'error', error: errorText(e, t) });
      }
    },
    async add(text, mentions = []) {
      const tmp: Comment = { id: `${LOCAL_PREFIX}${Date.now()}`, chatId, authorId: me()?.id ?? '', text, createdAt: new Date().toISOString(), mentions };
      receive(tmp);
      try {
        const saved = await api.chats.addComment(chatId, text, mentions);
        setState('items', (l) => {
          const rest = l.filter((x) => x.id !== tmp.id);
          return saved?.id ? withComment(rest, saved) : rest;
        });
        return true;
      } catch (e) {
        setState('items', (l) => l.filter((x) => x.id !== tmp.id));
        showToast(errorText(e, t));
        return false;
      }
    },
  };
}

export function CommentsSection(props: { model: CommentsModel }) {
  const [text, setText] = createSignal('');
  const s = props.model.state;
  const picker = createMentionPicker(props.model.chatId, text, setText);
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const v = text().trim();
    if (!v) return;
    setText('');
    if (!(await props.model.add(v, picker.take(v)))) setText(v);
  }
  return (
    <section class="panel-section" data-testid="panel-comments">
      <h3>{t('comments.title')}</h3>
      <Show when={s.status === 'loading'}>
        <Loading />
      </Show>
      <Show when={s.status === 'error'}>
        <ErrorBox message={s.error ?? t('error.generic')} onRetry={() => void props.model.load()} />
      </Show>
      <Show when={s.status === 'ready' && !s.items.length}>
        <p class="muted">{t('comments.none')}</p>
      </Show>
      <ul class="plain comments">
        <For each={s.items}>
          {(c) => (
            <li class="comment" data-testid="comment">
              <div class="comment-head">
                <strong>{userName(c.authorId)}</strong>
                <time class="muted" dateTime={c.createdAt}>
                  {formatDateTime(c.createdAt)}
                </time>
              </div>
              <p class="comment-text">{c.text}</p>
            </li>
          )}
        </For>
      </ul>
      <Show when={canWrite()}>
        <form class="stack" onSubmit={submit}>
          <textarea
            rows={2}
            aria-label={t('comments.placeholder')}
            placeholder={t('comments.placeholder')}
            value={text()}
            onInput={(e) => {
              setText(e.currentTarget.value);
              picker.follow(e.currentTarget);
            }}
            onClick={(e) => picker.follow(e.currentTarget)}
            onBlur={() => picker.close()}
            onKeyDown={(e) => {
              if (picker.onKeyDown(e)) {
                e.preventDefault();
                e.stopPropagation();
                return;
              }
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) (e.currentTarget.form as HTMLFormElement).requestSubmit();
            }}
            data-testid="comment-input"
          />
          <picker.View />
          <button type="submit" class="btn btn-small btn-primary" disabled={!text().trim()} data-testid="comment-submit">
            {t('comments.add')}
          </button>
        </form>
      </Show>
    </section>
  );
}
