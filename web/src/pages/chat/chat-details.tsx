import { createSignal, For, Show } from 'solid-js';
import { api } from '../../api';
import { ChannelIcon, channelName } from '../../components/channel-icon';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { activeUsers, awaySuffix, canWrite, userName } from '../../state/session';
import type { ChatState } from './chat-state';
import type { ChatDetails } from '../../api/types';

export function MuteToggle(props: { chat: ChatState }) {
  return (
    <label class="switch" data-testid="mute-toggle">
      <input
        type="checkbox"
        checked={props.chat.detail()?.muted ?? false}
        onChange={(e) => void props.chat.setMuted(e.currentTarget.checked)}
      />
      <span>{t('details.mute')}</span>
    </label>
  );
}

export function ResponsibleSelect(props: { chat: ChatState; id?: string }) {
  const candidates = () => activeUsers().filter((u) => u.role !== 'observer');
  return (
    <Show when={canWrite()} fallback={<span>{userName(props.chat.detail()?.responsibleId)}{awaySuffix(props.chat.detail()?.responsibleId)}</span>}>
      <select
        id={props.id}
        data-testid="responsible-select"
        value={props.chat.detail()?.responsibleId ?? ''}
        onChange={(e) => void props.chat.setResponsible(e.currentTarget.value || null)}
      >
        <option value="">{t('common.nobody')}</option>
        <For each={candidates()}>
          {(u) => (
            <option value={u.id} selected={u.id === props.chat.detail()?.responsibleId}>
              {u.name}
              {awaySuffix(u.id)}
            </option>
          )}
        </For>
        {/* keep an unknown/inactive current responsible selectable so the select shows it */}
        <Show when={props.chat.detail()?.responsibleId && !candidates().some((u) => u.id === props.chat.detail()?.responsibleId)}>
          <option value={props.chat.detail()!.responsibleId!} selected>{userName(props.chat.detail()?.responsibleId)}</option>
        </Show>
      </select>
    </Show>
  );
}

export function ObserversEditor(props: { chat: ChatState }) {
  const ids = () => props.chat.detail()?.observerIds ?? [];
  function toggle(id: string, on: boolean) {
    const next = on ? [...ids(), id] : ids().filter((x) => x !== id);
    void props.chat.setObservers([...new Set(next)]);
  }
  return (
    <Show
      when={canWrite()}
      fallback={<span>{ids().length ? ids().map(userName).join(', ') : t('common.nobody')}</span>}
    >
      <div class="checklist" data-testid="observers-editor">
        <For each={activeUsers()}>
          {(u) => (
            <label class="check">
              <input type="checkbox" checked={ids().includes(u.id)} onChange={(e) => toggle(u.id, e.currentTarget.checked)} />
              {u.name}
            </label>
          )}
        </For>
      </div>
    </Show>
  );
}

let knownTags: Promise<string[]> | null = null;
/** Existing tag names for the input's suggestions; fetched once per page load, on first focus. */
function loadKnownTags(set: (names: string[]) => void) {
  knownTags ??= api.chats.tags().then((l) => l.map((x) => x.name), () => []);
  void knownTags.then(set);
}

export function TagsEditor(props: { chat: ChatState }) {
  const [draft, setDraft] = createSignal('');
  const [suggestions, setSuggestions] = createSignal<string[]>([]);
  const tags = () => props.chat.detail()?.tags ?? [];
  function add() {
    const v = draft().trim().replace(/,$/, '');
    setDraft('');
    if (v && !tags().includes(v)) void props.chat.setTags([...tags(), v]);
  }
  return (
    <div class="tags" data-testid="tags-editor">
      <For each={tags()}>
        {(tag) => (
          <span class="chip" data-testid="tag">
            {tag}
            <Show when={canWrite()}>
              <button
                type="button"
                class="chip-x"
                aria-label={`${t('common.remove')} ${tag}`}
                onClick={() => void props.chat.setTags(tags().filter((x) => x !== tag))}
              >
                ×
              </button>
            </Show>
          </span>
        )}
      </For>
      <Show when={canWrite()}>
        <input
          class="tag-input"
          placeholder={t('details.addTag')}
          aria-label={t('details.addTag')}
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault();
              add();
            }
          }}
          onBlur={add}
          onFocus={() => loadKnownTags(setSuggestions)}
          list="known-tags"
          data-testid="tag-input"
        />
        <datalist id="known-tags">
          <For each={suggestions()}>{(s) => <option value={s} />}</For>
        </datalist>
      </Show>
    </div>
  );
}

/** The latest satisfaction survey: the rating (as stars) and comment, or where it stands. */
function CsatSummary(props: { csat: NonNullable<ChatDetails['csat']> }) {
  const c = () => props.csat;
  const expired = () => c().state === 'asked' && Date.now() > new Date(c().expiresAt).getTime();
  return (
    <Show
      when={c().state === 'rated'}
      fallback={
        <span class="muted">
          {c().state === 'cancelled' ? t('csat.cancelled') : expired() ? t('csat.expired') : t('csat.asked', { until: formatDateTime(c().expiresAt) })}
        </span>
      }
    >
      <span class="csat-stars" aria-label={t('csat.rated', { rating: c().rating ?? 0 })} title={formatDateTime(c().ratedAt ?? c().askedAt)}>
        {'★'.repeat(c().rating ?? 0)}
        {'☆'.repeat(5 - (c().rating ?? 0))} {t('csat.rated', { rating: c().rating ?? 0 })}
      </span>
      <Show when={c().comment}>
        <blockquote class="csat-comment" data-testid="details-csat-comment">
          {t('csat.comment')}: {c().comment}
        </blockquote>
      </Show>
    </Show>
  );
}

/** Side panel section: the chat's facts plus its editable assignment, observers and tags. */
export function DetailsSection(props: { chat: ChatState }) {
  const d = () => props.chat.detail();
  return (
    <section class="panel-section" data-testid="panel-details">
      <h3>{t('details.title')}</h3>
      <Show when={d()}>
        <dl class="facts">
          <dt>{t('details.started')}</dt>
          <dd>{formatDateTime(d()!.startedAt)}</dd>
          <dt>{t('details.lastMessage')}</dt>
          <dd>{formatDateTime(d()!.lastMessageAt)}</dd>
          <dt>{t('details.source')}</dt>
          <dd>{d()!.source?.name}</dd>
          <dt>{t('details.channel')}</dt>
          <dd class="inline">
            <ChannelIcon channel={d()!.channel} size={14} /> {channelName(d()!.channel)}
          </dd>
          <dt>
            <label for="panel-responsible">{t('details.responsible')}</label>
          </dt>
          <dd>
            <ResponsibleSelect chat={props.chat} id="panel-responsible" />
          </dd>
          <dt>{t('details.observers')}</dt>
          <dd>
            <ObserversEditor chat={props.chat} />
          </dd>
          <dt>{t('details.tags')}</dt>
          <dd>
            <TagsEditor chat={props.chat} />
          </dd>
          <dt>{t('details.muted')}</dt>
          <dd>{d()!.muted ? t('details.mutedOn') : t('details.mutedOff')}</dd>
          <Show when={d()!.csat}>
            <dt>{t('csat.title')}</dt>
            <dd data-testid="details-csat" data-state={d()!.csat!.state} data-rating={d()!.csat!.rating ?? ''}>
              <CsatSummary csat={d()!.csat!} />
            </dd>
          </Show>
        </dl>
      </Show>
    </section>
  );
}
