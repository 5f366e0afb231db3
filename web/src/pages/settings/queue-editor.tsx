import { createResource, createSignal, For, Show } from 'solid-js';
import { api, ApiError } from '../../api';
import type { Integration, QueueItem } from '../../api/types';
import { createAction } from '../../components/create-action';
import { FormError, Loaded } from '../../components/states';
import { t, tn } from '../../i18n';
import { activeUsers, userName } from '../../state/session';

type Entry = Pick<QueueItem, 'userId' | 'name' | 'away'> & Partial<Pick<QueueItem, 'active' | 'openChats'>>;

/**
 * The ordered manager queue of one integration: reorder with arrows, mark someone away, add or
 * remove people, set the open-chats cap, then save the whole list at once (PUT {userIds, away, cap}).
 */
export function QueueEditor(props: { integration: Integration }) {
  const [items, setItems] = createSignal<Entry[]>([]);
  const [cap, setCap] = createSignal<string>('');
  const [dirty, setDirty] = createSignal(false);
  const [saved, setSaved] = createSignal(false);

  const [loaded, { refetch }] = createResource(async () => {
    try {
      const q = await api.integrations.queue(props.integration.id);
      setItems([...q.items].sort((a, b) => a.position - b.position));
      setCap(q.maxOpenChatsPerManager === null ? '' : String(q.maxOpenChatsPerManager));
    } catch (e) {
      // Without the queue route, fall back to the ids listed on the integration.
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 405))) throw e;
      setItems((props.integration.queue ?? []).map((userId) => ({ userId, name: userName(userId), away: false })));
    }
  });

  function change(next: Entry[]) {
    setItems(next);
    setDirty(true);
    setSaved(false);
  }
  function move(i: number, by: number) {
    const l = [...items()];
    const j = i + by;
    if (j < 0 || j >= l.length) return;
    [l[i], l[j]] = [l[j], l[i]];
    change(l);
  }

  const saving = createAction(async (capValue: number | null) => {
    const q = await api.integrations.setQueue(props.integration.id, {
      userIds: items().map((x) => x.userId),
      away: items().filter((x) => x.away).map((x) => x.userId),
      maxOpenChatsPerManager: capValue,
    });
    if (q?.items) setItems([...q.items].sort((a, b) => a.position - b.position));
    setDirty(false);
    setSaved(true);
  });
  function save() {
    const capValue = cap().trim() === '' ? null : Number(cap());
    if (capValue !== null && (!Number.isInteger(capValue) || capValue < 1)) return saving.setError(t('int.capInvalid'));
    void saving.run(capValue);
  }

  const addable = () => activeUsers().filter((u) => u.role !== 'observer' && !items().some((x) => x.userId === u.id));

  return (
    <div class="queue" data-testid="queue-editor">
      <h3>{t('int.queue')}</h3>
      <Loaded resource={loaded} retry={refetch}>
        <Show when={items().length} fallback={<p class="muted">{t('int.queueEmpty')}</p>}>
          <ol class="queue-list">
            <For each={items()}>
              {(q, i) => (
                <li class="queue-item" data-testid="queue-item" data-user-id={q.userId} classList={{ away: q.away }}>
                  <span class="queue-pos">{i() + 1}.</span>
                  <span class="grow">
                    {q.name || userName(q.userId)}
                    <Show when={q.active === false}>
                      <span class="muted"> ({t('int.inactive')})</span>
                    </Show>
                    <Show when={q.openChats !== undefined}>
                      <span class="muted"> · {tn('int.openChats', q.openChats!)}</span>
                    </Show>
                  </span>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={q.away}
                      onChange={(e) => change(items().map((x) => (x.userId === q.userId ? { ...x, away: e.currentTarget.checked } : x)))}
                      data-testid="queue-away"
                    />
                    {t('int.away')}
                  </label>
                  <button type="button" class="icon-btn" aria-label={t('int.up')} disabled={i() === 0} onClick={() => move(i(), -1)} data-testid="queue-up">
                    ↑
                  </button>
                  <button
                    type="button"
                    class="icon-btn"
                    aria-label={t('int.down')}
                    disabled={i() === items().length - 1}
                    onClick={() => move(i(), 1)}
                    data-testid="queue-down"
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="icon-btn"
                    aria-label={`${t('common.remove')} ${q.name}`}
                    onClick={() => change(items().filter((x) => x.userId !== q.userId))}
                    data-testid="queue-remove"
                  >
                    ×
                  </button>
                </li>
              )}
            </For>
          </ol>
        </Show>
        <div class="row">
          <select
            aria-label={t('int.addToQueue')}
            onChange={(e) => {
              const id = e.currentTarget.value;
              e.currentTarget.value = '';
              if (id) change([...items(), { userId: id, name: userName(id), away: false }]);
            }}
            data-testid="queue-add"
          >
            <option value="">{t('int.addToQueue')}…</option>
            <For each={addable()}>{(u) => <option value={u.id}>{u.name}</option>}</For>
          </select>
          <label class="check">
            {t('int.cap')}
            <input
              type="number"
              min="1"
              class="num-input"
              placeholder="∞"
              value={cap()}
              onInput={(e) => {
                setCap(e.currentTarget.value);
                setDirty(true);
                setSaved(false);
              }}
              data-testid="queue-cap"
            />
          </label>
          <button type="button" class="btn btn-primary btn-small" disabled={!dirty() || saving.busy()} onClick={save} data-testid="queue-save">
            {t('int.saveQueue')}
          </button>
          <Show when={saved()}>
            <span class="muted">{t('common.saved')}</span>
          </Show>
        </div>
        <FormError message={saving.error()} />
      </Loaded>
    </div>
  );
}
