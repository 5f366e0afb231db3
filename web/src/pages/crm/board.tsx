/**
 * A funnel's board: a column per stage with its count and amount total, cards (contact, amount,
 * responsible, age in stage) dragged — or moved with the arrow keys — across stages, and Won / Lost
 * (lost asks why). Filters live in the URL. A new chat's deal appears live: the inbox feed's `created`
 * frames reload the board.
 */
import { A, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, errorText } from '../../api';
import { Loaded } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { formatAmount, formatRelative } from '../../lib/format';
import { onInboxFrame } from '../../state/inbox';
import { activeUsers, canWrite, funnels, integrations } from '../../state/session';
import type { Board, BoardCard } from '../../../../worker/shared/board-wire';

type Params = { funnel?: string; responsibleId?: string; integrationId?: string; from?: string; to?: string };

export default function BoardPage() {
  const [params, setParams] = useSearchParams<Params>();
  const funnelId = () => params.funnel ?? funnels()[0]?.id;
  const query = () => ({
    responsibleId: params.responsibleId, integrationId: params.integrationId,
    from: params.from ? new Date(`${params.from}T00:00:00`).toISOString() : undefined,
    to: params.to ? new Date(`${params.to}T23:59:59.999`).toISOString() : undefined,
  });
  const [board, { refetch, mutate }] = createResource(
    () => (funnelId() ? { id: funnelId()!, ...query() } : undefined),
    ({ id, ...f }) => api.opportunities.board(id, f),
  );

  let reload: ReturnType<typeof setTimeout> | undefined;
  onCleanup(onInboxFrame((f) => {
    if (f.type !== 'chat' || !f.changes.includes('created')) return;
    clearTimeout(reload);
    reload = setTimeout(() => void refetch(), 500);
  }));
  onCleanup(() => clearTimeout(reload));

  async function move(card: BoardCard, stageId: string) {
    const b = board();
    if (!b || stageId === card.stageId) return;
    const target = b.columns.find((c) => c.stage.id === stageId);
    // Optimistic: the card shows in its new column at once; a refused move reloads the truth.
    mutate({ ...b, columns: b.columns.map((col) => ({
      ...col,
      cards: col.stage.id === stageId ? [{ ...card, stageId }, ...col.cards] : col.cards.filter((x) => x.id !== card.id),
    })) });
    try {
      await api.opportunities.update(card.id, { stageId });
      showToast(t('board.moved', { stage: target?.stage.name ?? '' }), 'info');
    } catch (e) {
      showToast(errorText(e, t), 'error');
    }
    void refetch();
  }

  /** The card whose "why lost?" field is open. */
  const [losing, setLosing] = createSignal<string | null>(null);
  async function close(card: BoardCard, outcome: 'won' | 'lost', reason = '') {
    setLosing(null);
    try {
      await api.opportunities.update(card.id, { outcome, outcomeReason: reason.trim() || null });
    } catch (e) {
      showToast(errorText(e, t), 'error');
    }
    void refetch();
  }

  function keyMove(e: KeyboardEvent, card: BoardCard, b: Board) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = b.columns.findIndex((c) => c.stage.id === card.stageId);
    const next = b.columns[i + (e.key === 'ArrowRight' ? 1 : -1)];
    if (next) void move(card, next.stage.id).then(() => document.querySelector<HTMLElement>(`[data-card-id="${card.id}"]`)?.focus());
  }

  /** Appends a column's next cards (a live reload of the board starts each column at its first page again). */
  async function more(stageId: string, cursor: string) {
    const id = funnelId();
    if (!id) return;
    try {
      const page = await api.opportunities.column(id, stageId, cursor, query());
      const b = board();
      if (!b) return;
      const append = (col: Board['columns'][number]) => {
        // A card a move or a live reload already put in the column is not added twice.
        const shown = new Set(col.cards.map((c) => c.id));
        return { ...col, cards: [...col.cards, ...page.cards.filter((c) => !shown.has(c.id))], nextCursor: page.nextCursor };
      };
      mutate({ ...b, columns: b.columns.map((col) => (col.stage.id === stageId ? append(col) : col)) });
    } catch (e) {
      showToast(errorText(e, t), 'error');
    }
  }

  const setFilter = (k: keyof Params, v: string) => setParams({ [k]: v || undefined }, { replace: true });

  return (
    <section class="page crm-page board-page" data-testid="board-page">
      <h1>{t('board.title')}</h1>
      <div class="filters board-filters">
        <label class="field"><span>{t('board.funnel')}</span>
          <select value={funnelId() ?? ''} onChange={(e) => setFilter('funnel', e.currentTarget.value)} data-testid="board-funnel">
            <For each={funnels()}>{(f) => <option value={f.id} selected={f.id === funnelId()}>{f.name}</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('board.responsible')}</span>
          <select value={params.responsibleId ?? ''} onChange={(e) => setFilter('responsibleId', e.currentTarget.value)} data-testid="board-responsible">
            <option value="">{t('board.any')}</option>
            <For each={activeUsers()}>{(u) => <option value={u.id} selected={u.id === params.responsibleId}>{u.name}</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('board.integration')}</span>
          <select value={params.integrationId ?? ''} onChange={(e) => setFilter('integrationId', e.currentTarget.value)} data-testid="board-integration">
            <option value="">{t('board.any')}</option>
            <For each={integrations()}>{(i) => <option value={i.id} selected={i.id === params.integrationId}>{i.name}</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('board.from')}</span><input type="date" value={params.from ?? ''} onChange={(e) => setFilter('from', e.currentTarget.value)} /></label>
        <label class="field"><span>{t('board.to')}</span><input type="date" value={params.to ?? ''} onChange={(e) => setFilter('to', e.currentTarget.value)} /></label>
      </div>
      <Show when={funnelId()} fallback={<p class="state">{t('board.noFunnel')}</p>}>
        <Loaded resource={board} retry={refetch}>
          <Show when={board()}>
            {(b) => (
              <div class="board" data-testid="board">
                <For each={b().columns}>
                  {(col) => (
                    <div
                      class="board-column" data-testid="board-column" data-stage-id={col.stage.id}
                      onDragOver={(e) => { if (canWrite()) e.preventDefault(); }}
                      onDrop={(e) => {
                        e.preventDefault();
                        const id = e.dataTransfer?.getData('text/plain');
                        const card = b().columns.flatMap((c) => c.cards).find((x) => x.id === id);
                        if (card) void move(card, col.stage.id);
                      }}
                    >
                      <h2>{col.stage.name}</h2>
                      <p class="muted" data-testid="board-total">{t('board.total', { n: col.count ?? 0, amount: formatAmount(col.totalAmount) })}</p>
                      <For each={col.cards}>
                        {(card) => (
                          <article
                            class="board-card" tabindex="0" draggable={canWrite()} data-testid="board-card" data-card-id={card.id}
                            aria-keyshortcuts="ArrowLeft ArrowRight"
                            onDragStart={(e) => e.dataTransfer?.setData('text/plain', card.id)}
                            onKeyDown={(e) => canWrite() && keyMove(e, card, b())}
                          >
                            <A href={`/contacts/${card.contactId}`}><strong>{card.contactName}</strong></A>
                            <div>{card.title}</div>
                            <div class="muted">{formatAmount(card.amount)} · {card.responsibleName ?? '—'} · {t('board.age', { age: formatRelative(card.inStageSince) })}</div>
                            <Show when={canWrite()}>
                              <div class="board-card-actions">
                                <button type="button" class="btn btn-small" onClick={() => void close(card, 'won')} data-testid="card-won">{t('board.won')}</button>
                                <button type="button" class="btn btn-small" onClick={() => setLosing(card.id)} data-testid="card-lost">{t('board.lost')}</button>
                              </div>
                              <Show when={losing() === card.id}>
                                <form
                                  class="crm-inline"
                                  onSubmit={(e) => {
                                    e.preventDefault();
                                    const reason = String(new FormData(e.currentTarget).get('reason') ?? '');
                                    if (reason.trim()) void close(card, 'lost', reason);
                                  }}
                                >
                                  <input name="reason" class="input" required placeholder={t('board.lostReason')} aria-label={t('board.lostReason')} data-testid="card-lost-reason" />
                                  <button type="submit" class="btn btn-small">{t('board.lost')}</button>
                                </form>
                              </Show>
                            </Show>
                          </article>
                        )}
                      </For>
                      <Show when={col.nextCursor}>
                        {(cursor) => (
                          <button type="button" class="btn btn-small board-more" onClick={() => void more(col.stage.id, cursor())} data-testid="board-more">{t('board.more')}</button>
                        )}
                      </Show>
                    </div>
                  )}
                </For>
              </div>
            )}
          </Show>
        </Loaded>
      </Show>
    </section>
  );
}
