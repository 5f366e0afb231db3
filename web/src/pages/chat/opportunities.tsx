import { createSignal, For, Show } from 'solid-js';
import type { ChatDetails } from '../../api/types';

type Opportunity = ChatDetails['opportunities'][number];
import { t } from '../../i18n';
import { formatAmount } from '../../lib/format';
import { canWrite, funnels, integrations } from '../../state/session';
import type { ChatState } from './chat-state';
import { FormButtons } from './form-buttons';

function OpportunityRow(props: { opp: Opportunity; chat: ChatState }) {
  const [editing, setEditing] = createSignal(false);
  const funnel = () => funnels().find((f) => f.id === props.opp.funnelId);
  const stageName = () => funnel()?.stages.find((s) => s.id === props.opp.stageId)?.name ?? t('common.none');

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const title = String(f.get('title') ?? '').trim();
    const raw = String(f.get('amount') ?? '').trim().replace(',', '.');
    const amount = raw === '' ? null : Number(raw);
    if (!title || (amount !== null && !Number.isFinite(amount))) return;
    setEditing(false);
    await props.chat.updateOpportunity(props.opp.id, { title, amount });
  }

  return (
    <li class="opp" data-testid="opportunity" data-opportunity-id={props.opp.id}>
      <Show
        when={editing()}
        fallback={
          <>
            <div class="opp-head">
              <strong>{props.opp.title}</strong>
              <span class="opp-amount">{formatAmount(props.opp.amount)}</span>
            </div>
            <div class="opp-row">
              <Show when={canWrite()} fallback={<span class="chip">{stageName()}</span>}>
                <select
                  aria-label={t('opp.stage')}
                  value={props.opp.stageId}
                  onChange={(e) => void props.chat.updateOpportunity(props.opp.id, { stageId: e.currentTarget.value })}
                  data-testid="opportunity-stage"
                >
                  <For each={funnel()?.stages ?? []}>
                    {(s) => (
                      <option value={s.id} selected={s.id === props.opp.stageId}>
                        {s.name}
                      </option>
                    )}
                  </For>
                  <Show when={!funnel()}>
                    <option value={props.opp.stageId}>{stageName()}</option>
                  </Show>
                </select>
                <button type="button" class="btn btn-small btn-ghost" onClick={() => setEditing(true)} data-testid="opportunity-edit">
                  {t('common.edit')}
                </button>
              </Show>
            </div>
          </>
        }
      >
        <form class="stack" onSubmit={save}>
          <label class="field">
            <span>{t('opp.name')}</span>
            <input name="title" required value={props.opp.title} data-testid="opportunity-title-input" />
          </label>
          <label class="field">
            <span>{t('opp.amount')}</span>
            <input name="amount" inputmode="decimal" value={props.opp.amount ?? ''} data-testid="opportunity-amount-input" />
          </label>
          <FormButtons label={t('common.save')} onCancel={() => setEditing(false)} />
        </form>
      </Show>
    </li>
  );
}

export function OpportunitiesSection(props: { chat: ChatState }) {
  const [creating, setCreating] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const opps = () => props.chat.detail()?.opportunities ?? [];
  const defaultFunnel = () => {
    const integ = integrations().find((i) => i.id === props.chat.detail()?.source?.integrationId);
    return integ?.funnelId ?? funnels()[0]?.id ?? '';
  };

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const title = String(f.get('title') ?? '').trim();
    const funnelId = String(f.get('funnelId') ?? '');
    if (!title || !funnelId) return;
    setBusy(true);
    if (await props.chat.createOpportunity(funnelId, title)) setCreating(false);
    setBusy(false);
  }

  return (
    <section class="panel-section" data-testid="panel-opportunities">
      <h3>{t('opp.title')}</h3>
      <Show when={opps().length} fallback={<p class="muted">{t('opp.none')}</p>}>
        <ul class="plain">
          <For each={opps()}>{(o) => <OpportunityRow opp={o} chat={props.chat} />}</For>
        </ul>
      </Show>
      <Show when={canWrite()}>
        <Show
          when={creating()}
          fallback={
            <button type="button" class="btn btn-small" onClick={() => setCreating(true)} data-testid="opportunity-new">
              + {t('opp.new')}
            </button>
          }
        >
          <form class="stack" onSubmit={create} data-testid="opportunity-form">
            <label class="field">
              <span>{t('opp.name')}</span>
              <input name="title" required autofocus data-testid="opportunity-new-title" />
            </label>
            <label class="field">
              <span>{t('opp.funnel')}</span>
              <select name="funnelId" value={defaultFunnel()} required>
                <For each={funnels()}>
                  {(f) => (
                    <option value={f.id} selected={f.id === defaultFunnel()}>
                      {f.name}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <FormButtons label={t('common.create')} busy={busy()} testid="opportunity-create" onCancel={() => setCreating(false)} />
          </form>
        </Show>
      </Show>
    </section>
  );
}
